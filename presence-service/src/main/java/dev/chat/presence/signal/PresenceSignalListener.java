package dev.chat.presence.signal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.ConsumerSeekAware;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.support.Acknowledgment;
import org.springframework.kafka.support.serializer.SerializationUtils;
import org.springframework.stereotype.Component;

import dev.chat.common.events.PresenceSignal;
import dev.chat.common.kafka.Topics;
import dev.chat.presence.Ids;
import dev.chat.presence.tracking.PresenceTracker;

/**
 * Reads what gateway nodes report on {@code chat.presence.events}, a poll's records at a time,
 * and hands them to the {@link PresenceTracker}; commits them only after they have been applied.
 * One user's signals share a partition (keyed by user) and so are applied in the order the node
 * sent them.
 *
 * <p>
 * A record that cannot be applied (unreadable, or a required field missing) is reported by its
 * index: the records before it are applied and committed, it goes to the dead-letter topic at
 * once, and the ones after it are read again. Any other failure is retried from the first record
 * of the batch with back-off (applying a record twice changes nothing: see
 * {@code UserPresence#applied}).
 */
@Component
class PresenceSignalListener implements ConsumerSeekAware {

	static final String ID = "presence-signals";

	private static final Logger log = LoggerFactory.getLogger(PresenceSignalListener.class);

	private final PresenceTracker tracker;

	PresenceSignalListener(PresenceTracker tracker) {
		this.tracker = tracker;
	}

	@KafkaListener(id = ID, topics = Topics.PRESENCE_EVENTS, groupId = "${chat.presence.consumer-group}",
			containerFactory = "presenceSignalContainerFactory", batch = "true")
	void onSignals(List<ConsumerRecord<String, PresenceSignal>> records, Acknowledgment ack) {
		List<PresenceTracker.SignalRecord> valid = new ArrayList<>();
		for (int index = 0; index < records.size(); index++) {
			ConsumerRecord<String, PresenceSignal> record = records.get(index);
			if (record.value() == null && record.headers()
				.lastHeader(SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER) == null) {
				log.atDebug().addKeyValue("offset", record.offset()).log("empty record skipped");
				continue;
			}
			String problem = problem(record.value());
			if (problem != null) {
				apply(valid, 0);
				throw new BatchListenerFailedException(problem, new InvalidRecordException(problem), index);
			}
			valid.add(new PresenceTracker.SignalRecord(record.value(), userOf(record.value()), record.partition(),
					record.offset()));
		}
		apply(valid, 0);
		ack.acknowledge();
	}

	private void apply(List<PresenceTracker.SignalRecord> records, int firstIndex) {
		try {
			tracker.apply(records);
		}
		catch (RuntimeException ex) {
			throw new BatchListenerFailedException("applying presence signals failed", ex, firstIndex);
		}
	}

	/** On the listener thread, before the partitions' first records are polled. */
	@Override
	public void onPartitionsAssigned(Map<TopicPartition, Long> assignments, ConsumerSeekCallback callback) {
		tracker.assigned(numbers(assignments.keySet()));
	}

	/** On the listener thread, once the records of the partitions polled so far are applied. */
	@Override
	public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
		tracker.revoked(numbers(partitions));
	}

	private static Set<Integer> numbers(Collection<TopicPartition> partitions) {
		Set<Integer> numbers = new TreeSet<>();
		partitions.forEach(partition -> numbers.add(partition.partition()));
		return numbers;
	}

	/** What makes the signal impossible to apply, or null. */
	static String problem(PresenceSignal signal) {
		if (signal == null) {
			return "unreadable record";
		}
		if (!Ids.isNodeId(signal.nodeId())) {
			return "nodeId must be 1-64 letters, digits, . _ or -";
		}
		if (!Ids.isId(signal.incarnation())) {
			return "incarnation is required";
		}
		return switch (signal) {
			case PresenceSignal.NodeHeartbeat heartbeat -> null;
			case PresenceSignal.Connected c -> user(c.userId(), c.connectionId());
			case PresenceSignal.Disconnected d -> user(d.userId(), d.connectionId());
			case PresenceSignal.Subscribed s -> room(s.roomId(), user(s.userId(), s.connectionId()));
			case PresenceSignal.Unsubscribed u -> room(u.roomId(), user(u.userId(), u.connectionId()));
		};
	}

	private static String user(String userId, String connectionId) {
		if (!Ids.isId(userId)) {
			return "userId is required";
		}
		return Ids.isId(connectionId) ? null : "connectionId is required";
	}

	private static String room(String roomId, String userProblem) {
		if (userProblem != null) {
			return userProblem;
		}
		return Ids.isRoomId(roomId) ? null : "roomId must be 1-64 letters, digits, - or _";
	}

	private static String userOf(PresenceSignal signal) {
		return switch (signal) {
			case PresenceSignal.NodeHeartbeat heartbeat -> null;
			case PresenceSignal.Connected c -> c.userId();
			case PresenceSignal.Disconnected d -> d.userId();
			case PresenceSignal.Subscribed s -> s.userId();
			case PresenceSignal.Unsubscribed u -> u.userId();
		};
	}

}
