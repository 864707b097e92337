package dev.chat.presence.node;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.chat.common.events.PresenceSignal;
import dev.chat.common.kafka.Topics;
import dev.chat.common.metrics.KafkaClientMetricsBinding;

/**
 * Reads the heartbeats on {@code chat.presence.events} as they arrive, apart from the signal
 * listener: a node's liveness must not depend on how far behind the listener is. If a burst of
 * signals (a gateway's thousands of sockets reconnecting, say) kept the listener busy for longer
 * than the node timeout, heartbeats queued behind that burst would make healthy nodes look dead
 * and all their users would go offline at once.
 *
 * <p>
 * The watcher assigns itself every partition (no consumer group, nothing committed) and starts
 * at the end: only heartbeats sent from now on count, and every node gets a full timeout from
 * the moment it starts listening.
 */
@Component
class HeartbeatWatcher implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(HeartbeatWatcher.class);

	private static final Duration POLL = Duration.ofMillis(500);

	private static final Duration RETRY = Duration.ofSeconds(1);

	/** A gap between two polls this long means the process was paused, not that nodes were silent. */
	private static final Duration PAUSE = Duration.ofSeconds(5);

	private final JsonMapper json = JsonMapper.builder().build();

	private final KafkaProperties kafka;

	private final NodeLiveness liveness;

	private final Clock clock;

	private volatile KafkaConsumer<String, String> consumer;

	private volatile Thread thread;

	private volatile boolean stopping;

	/** The consumer's own metrics (its lag: kafka.consumer.fetch.manager.records.lag.max), while it lives. */
	private final ObjectProvider<MeterRegistry> meters;

	HeartbeatWatcher(KafkaProperties kafka, NodeLiveness liveness, Clock clock, ObjectProvider<MeterRegistry> meters) {
		this.kafka = kafka;
		this.liveness = liveness;
		this.clock = clock;
		this.meters = meters;
	}

	@Override
	public void start() {
		Map<String, Object> properties = new HashMap<>(kafka.buildConsumerProperties());
		properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
		properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "presence-heartbeat-watcher");
		consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer());
		stopping = false;
		thread = Thread.ofPlatform().name("presence-heartbeat-watcher").daemon().start(this::run);
	}

	private void run() {
		KafkaConsumer<String, String> consumer = this.consumer;
		KafkaClientMetricsBinding metrics = KafkaClientMetricsBinding.bind(consumer, meters.getIfAvailable());
		try {
			while (!stopping) {
				try {
					if (consumer.assignment().isEmpty()) {
						assignAtEnd(consumer);
						continue;
					}
					var records = consumer.poll(POLL);
					Instant polled = clock.instant();
					Instant previous = liveness.lastPoll();
					if (previous != null && Duration.between(previous, polled).compareTo(PAUSE) > 0) {
						// This process was paused (a long GC, SIGSTOP): the heartbeats it missed meanwhile
						// are still queued, so silence says nothing yet. Every node gets a full timeout
						// from now, as after a restart.
						log.atWarn()
							.addKeyValue("pausedMs", Duration.between(previous, polled).toMillis())
							.log("heartbeat watcher was paused; counting node timeouts from now");
						liveness.listening(polled);
					}
					for (ConsumerRecord<String, String> record : records) {
						read(record);
					}
					liveness.polled(polled);
				}
				catch (WakeupException stop) {
					return;
				}
				catch (RuntimeException ex) {
					if (stopping) {
						return;
					}
					// Not listening, so no node may be judged dead until the watcher is back.
					liveness.deaf();
					consumer.unsubscribe();
					log.atWarn().setCause(ex).log("heartbeat watcher failed; listening again in 1 s");
					Thread.sleep(RETRY);
				}
			}
		}
		catch (InterruptedException stop) {
			Thread.currentThread().interrupt();
		}
		finally {
			metrics.close();
			consumer.close(Duration.ofSeconds(2));
		}
	}

	private void assignAtEnd(KafkaConsumer<String, String> consumer) throws InterruptedException {
		List<TopicPartition> partitions = consumer.partitionsFor(Topics.PRESENCE_EVENTS, Duration.ofSeconds(10))
			.stream()
			.map(info -> new TopicPartition(info.topic(), info.partition()))
			.toList();
		if (partitions.isEmpty()) {
			log.atWarn().addKeyValue("topic", Topics.PRESENCE_EVENTS).log("topic not found; retrying in 1 s");
			Thread.sleep(RETRY);
			return;
		}
		consumer.assign(partitions);
		consumer.seekToEnd(partitions);
		// seekToEnd is lazy: resolve the positions now, so that "listening" means it.
		partitions.forEach(partition -> consumer.position(partition, Duration.ofSeconds(10)));
		liveness.listening(clock.instant());
		log.atInfo().addKeyValue("partitions", partitions.size()).log("heartbeat watcher listening");
	}

	private void read(ConsumerRecord<String, String> record) {
		// Most records are user signals: skip them without decoding.
		if (record.value() == null || !record.value().contains("node.heartbeat")) {
			return;
		}
		try {
			if (json.readValue(record.value(), PresenceSignal.class) instanceof PresenceSignal.NodeHeartbeat heartbeat
					&& heartbeat.nodeId() != null && heartbeat.incarnation() != null) {
				liveness.heartbeat(heartbeat.nodeId(), heartbeat.incarnation(), heartbeat.occurredAt(), clock.instant());
			}
		}
		catch (JacksonException ex) {
			// The signal listener dead-letters it; here it is just not a heartbeat.
		}
	}

	@Override
	public void stop() {
		Thread running = thread;
		if (running != null) {
			// Not an interrupt: the consumer would fail to close cleanly.
			stopping = true;
			consumer.wakeup();
			try {
				running.join(Duration.ofSeconds(5));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			thread = null;
		}
	}

	@Override
	public boolean isRunning() {
		return thread != null;
	}

	/** Started before the listeners, so that it is listening by the time they apply anything. */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 200;
	}

}
