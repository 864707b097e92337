package dev.chat.presence.signal;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.support.Acknowledgment;
import org.springframework.stereotype.Component;

import dev.chat.common.events.PresenceSignal;
import dev.chat.common.kafka.Topics;
import dev.chat.presence.Ids;
import dev.chat.presence.tracking.PresenceTracker;

/**
 * Reads what gateway nodes report on {@code chat.presence.events} and hands it to the
 * {@link PresenceTracker}; commits a record only after it has been applied. One user's signals
 * share a partition (keyed by user) and so are applied in the order the node sent them.
 */
@Component
class PresenceSignalListener {

	static final String ID = "presence-signals";

	private final PresenceTracker tracker;

	PresenceSignalListener(PresenceTracker tracker) {
		this.tracker = tracker;
	}

	@KafkaListener(id = ID, topics = Topics.PRESENCE_EVENTS, groupId = "${chat.presence.consumer-group}",
			containerFactory = "presenceSignalContainerFactory")
	void onSignal(ConsumerRecord<String, PresenceSignal> record, Acknowledgment ack) {
		PresenceSignal signal = record.value();
		String userId = validUser(signal);
		switch (signal) {
			case PresenceSignal.NodeHeartbeat heartbeat -> tracker.heartbeat(heartbeat);
			default -> tracker.apply(signal, userId, record.partition(), record.offset());
		}
		ack.acknowledge();
	}

	/** Checks every field the signal's application needs; returns its user (null for a heartbeat). */
	private static String validUser(PresenceSignal signal) {
		if (signal == null) {
			throw new InvalidRecordException("empty record");
		}
		require(Ids.isNodeId(signal.nodeId()), "nodeId must be 1-64 letters, digits, . _ or -");
		require(Ids.isId(signal.incarnation()), "incarnation is required");
		return switch (signal) {
			case PresenceSignal.NodeHeartbeat heartbeat -> null;
			case PresenceSignal.Connected c -> user(c.userId(), c.connectionId());
			case PresenceSignal.Disconnected d -> user(d.userId(), d.connectionId());
			case PresenceSignal.Subscribed s -> room(s.roomId(), user(s.userId(), s.connectionId()));
			case PresenceSignal.Unsubscribed u -> room(u.roomId(), user(u.userId(), u.connectionId()));
		};
	}

	private static String user(String userId, String connectionId) {
		require(Ids.isId(userId), "userId is required");
		require(Ids.isId(connectionId), "connectionId is required");
		return userId;
	}

	private static String room(String roomId, String userId) {
		require(Ids.isRoomId(roomId), "roomId must be 1-64 letters, digits, - or _");
		return userId;
	}

	private static void require(boolean valid, String message) {
		if (!valid) {
			throw new InvalidRecordException(message);
		}
	}

}
