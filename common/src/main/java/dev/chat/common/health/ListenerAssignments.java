package dev.chat.common.health;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;

import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * Prepares every {@code @KafkaListener} container of the service before it starts, and knows
 * which of them own their partitions.
 *
 * <p>
 * <b>Static membership.</b> A container that reads in a consumer group gets
 * {@code group.instance.id = <chat.instance-id>-<listener id>} (and Spring Kafka appends
 * {@code -0}, {@code -1}, ... for each consumer of a concurrent container). A process that
 * restarts after a crash joins with the ids of its predecessor, and the group coordinator hands
 * it the predecessor's partitions at once instead of waiting for that member's session to time
 * out. Two live processes must never share an instance id: the second fences the first.
 *
 * <p>
 * <b>Assignment.</b> Each container's rebalance listener is wrapped so that the first assignment
 * of each of its consumers is recorded; an empty assignment counts too (the group is stable and
 * this consumer simply has nothing to read). Containers that read assigned partitions without a
 * group have no assignment callback and count as soon as they run.
 */
public class ListenerAssignments implements SmartLifecycle {

	private final KafkaListenerEndpointRegistry registry;

	private final String instanceId;

	private final Map<String, Tracked> tracked = Collections.synchronizedMap(new LinkedHashMap<>());

	private volatile boolean running;

	public ListenerAssignments(KafkaListenerEndpointRegistry registry, String instanceId) {
		this.registry = registry;
		this.instanceId = instanceId;
	}

	@Override
	public void start() {
		for (MessageListenerContainer container : registry.getListenerContainers()) {
			String id = container.getListenerId();
			if (id == null || tracked.containsKey(id)) {
				continue;
			}
			ContainerProperties properties = container.getContainerProperties();
			boolean grouped = container.getGroupId() != null && properties.getTopicPartitions() == null;
			if (grouped && !properties.getKafkaConsumerProperties()
				.containsKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG)) {
				properties.getKafkaConsumerProperties()
					.setProperty(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId + "-" + id);
			}
			Tracked state = new Tracked(container, grouped);
			if (grouped) {
				properties.setConsumerRebalanceListener(new Recording(properties.getConsumerRebalanceListener(), state));
			}
			tracked.put(id, state);
		}
		running = true;
	}

	/** The ids of the listener containers that do not own their partitions yet (empty when all do). */
	public List<String> pending() {
		List<String> pending = new ArrayList<>();
		synchronized (tracked) {
			tracked.forEach((id, state) -> {
				if (!state.serving()) {
					pending.add(id);
				}
			});
		}
		return pending;
	}

	/** The group instance ids given out, by listener id (for the health details and for tests). */
	public Map<String, String> instanceIds() {
		Map<String, String> ids = new LinkedHashMap<>();
		synchronized (tracked) {
			tracked.forEach((id, state) -> {
				String instance = state.container.getContainerProperties()
					.getKafkaConsumerProperties()
					.getProperty(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
				if (instance != null) {
					ids.put(id, instance);
				}
			});
		}
		return ids;
	}

	@Override
	public void stop() {
		running = false;
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	/** Just before the registry starts the containers: their properties are read when they start. */
	@Override
	public int getPhase() {
		return registry.getPhase() - 1;
	}

	private static final class Tracked {

		private final MessageListenerContainer container;

		private final boolean grouped;

		/** The consumers that have received an assignment (weakly held: a restarted consumer is new). */
		private final Set<Consumer<?, ?>> assigned = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

		Tracked(MessageListenerContainer container, boolean grouped) {
			this.container = container;
			this.grouped = grouped;
		}

		boolean serving() {
			if (!container.isRunning()) {
				return false;
			}
			if (!grouped) {
				return true;
			}
			int consumers = container instanceof ConcurrentMessageListenerContainer<?, ?> concurrent
					? concurrent.getConcurrency() : 1;
			return assigned.size() >= consumers;
		}

	}

	/** Records assignments, then does what the listener it wraps (if any) does. */
	private record Recording(ConsumerRebalanceListener delegate, Tracked state) implements ConsumerAwareRebalanceListener {

		@Override
		public void onPartitionsRevokedBeforeCommit(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
			if (delegate instanceof ConsumerAwareRebalanceListener aware) {
				aware.onPartitionsRevokedBeforeCommit(consumer, partitions);
			}
			else if (delegate != null) {
				delegate.onPartitionsRevoked(partitions);
			}
		}

		@Override
		public void onPartitionsRevokedAfterCommit(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
			if (delegate instanceof ConsumerAwareRebalanceListener aware) {
				aware.onPartitionsRevokedAfterCommit(consumer, partitions);
			}
		}

		@Override
		public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
			if (delegate instanceof ConsumerAwareRebalanceListener aware) {
				aware.onPartitionsLost(consumer, partitions);
			}
			else if (delegate != null) {
				delegate.onPartitionsLost(partitions);
			}
		}

		@Override
		public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
			if (delegate instanceof ConsumerAwareRebalanceListener aware) {
				aware.onPartitionsAssigned(consumer, partitions);
			}
			else if (delegate != null) {
				delegate.onPartitionsAssigned(partitions);
			}
			// After the delegate: a listener that positions the consumer has done so by now.
			state.assigned.add(consumer);
		}

	}

}
