package dev.chat.gateway.socket;

import java.util.Collection;

import io.micrometer.observation.Observation;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

import dev.chat.common.events.MessageEvent;
import dev.chat.common.events.PresenceChanged;
import dev.chat.common.events.RoomEvent;
import dev.chat.common.events.TypingEvent;

/**
 * Delivers the fan-out topics ({@link FanOutConsumer} reads them) to this node's sockets. Each
 * event is encoded once and the same bytes are queued to every subscribed session; nothing is
 * encoded for a room no one here is subscribed to.
 */
@Component
class FanOutListener {

	private static final Logger log = LoggerFactory.getLogger(FanOutListener.class);

	private final JsonMapper json = JsonMapper.builder().build();

	private final FrameCodec codec;

	private final Subscriptions subscriptions;

	private final SessionRegistry sessions;

	private final Memberships memberships;

	private final PresenceSignals presence;

	private final SocketMetrics metrics;

	private final SocketTracing tracing;

	FanOutListener(FrameCodec codec, Subscriptions subscriptions, SessionRegistry sessions, Memberships memberships,
			PresenceSignals presence, SocketMetrics metrics, SocketTracing tracing) {
		this.metrics = metrics;
		this.codec = codec;
		this.subscriptions = subscriptions;
		this.sessions = sessions;
		this.memberships = memberships;
		this.presence = presence;
		this.tracing = tracing;
	}

	/**
	 * Delivers a {@code chat.messages} event, in the span {@code chat.socket.deliver} when anyone
	 * here receives it (the room is followed here, or its sender is connected here).
	 */
	void onMessageEvent(ConsumerRecord<String, String> record) {
		MessageEvent event = read(record.value(), MessageEvent.class);
		if (event == null || !deliveredHere(event)) {
			return;
		}
		Observation observation = tracing.deliver(record, event.roomId());
		try (Observation.Scope scope = observation.openScope()) {
			deliver(event);
		}
		catch (RuntimeException ex) {
			observation.error(ex);
			throw ex;
		}
		finally {
			observation.stop();
		}
	}

	private boolean deliveredHere(MessageEvent event) {
		return switch (event) {
			case MessageEvent.MessageRejected rejected -> !sessions.ofUser(rejected.senderId()).isEmpty();
			case MessageEvent.MessageCreated created ->
				subscriptions.channel(created.roomId()) != null || !sessions.ofUser(created.senderId()).isEmpty();
			default -> subscriptions.channel(event.roomId()) != null;
		};
	}

	private void deliver(MessageEvent event) {
		switch (event) {
			case MessageEvent.MessageCreated created -> {
				ServerFrame.Message message = new ServerFrame.Message(created.roomId(), created.messageId(),
						created.seq(), created.senderId(), created.body(), created.sentAt(), created.clientMsgId(), null,
						null);
				EncodedFrame frame = deliver(created.roomId(), created.seq(), message);
				echoToSender(created, message, frame);
				release(frame);
			}
			case MessageEvent.MessageEdited edited -> release(deliver(edited.roomId(), edited.seq(),
					new ServerFrame.Message(edited.roomId(), edited.messageId(), edited.seq(), edited.senderId(),
							edited.body(), edited.sentAt(), edited.clientMsgId(), edited.editedAt(), null)));
			case MessageEvent.MessageDeleted deleted -> release(deliver(deleted.roomId(), deleted.seq(),
					new ServerFrame.Message(deleted.roomId(), deleted.messageId(), deleted.seq(), deleted.senderId(),
							null, deleted.sentAt(), deleted.clientMsgId(), null, true)));
			case MessageEvent.MessageRejected rejected -> {
				Collection<ClientSession> senders = sessions.ofUser(rejected.senderId());
				if (!senders.isEmpty()) {
					EncodedFrame frame = codec.encode(new ServerFrame.Error(rejected.reason(),
							"the message was not accepted", rejected.clientMsgId()));
					senders.forEach(session -> session.send(frame));
					frame.release();
				}
			}
		}
	}

	void onRoomEvent(String value) {
		RoomEvent event = read(value, RoomEvent.class);
		switch (event) {
			case null -> {
			}
			case RoomEvent.MemberJoined joined -> broadcast(joined.roomId(),
					new ServerFrame.Member(joined.roomId(), joined.userId(), "joined"));
			case RoomEvent.MemberLeft left -> {
				// A user who left may no longer write to or read the room from this node.
				memberships.left(left.roomId(), left.userId());
				sessions.ofUser(left.userId()).forEach(session -> {
					if (session.removeSubscribed(left.roomId())) {
						presence.unsubscribed(session, left.roomId());
					}
				});
				subscriptions.unsubscribeUser(left.userId(), left.roomId());
				broadcast(left.roomId(), new ServerFrame.Member(left.roomId(), left.userId(), "left"));
			}
			case RoomEvent.RoomCreated created -> {
			}
			case RoomEvent.MemberInvited invited -> {
			}
		}
	}

	void onPresence(String value) {
		PresenceChanged change = read(value, PresenceChanged.class);
		if (change != null) {
			broadcast(change.roomId(), new ServerFrame.Presence(change.roomId(), change.userId(), change.status()));
		}
	}

	void onTyping(String value) {
		TypingEvent event = read(value, TypingEvent.class);
		if (event == null) {
			return;
		}
		Collection<RoomSubscription> subscribers = subscriptions.of(event.roomId());
		if (subscribers.isEmpty()) {
			return;
		}
		EncodedFrame frame = codec.encode(new ServerFrame.Typing(event.roomId(), event.userId()));
		for (RoomSubscription subscription : subscribers) {
			if (!subscription.session().userId().equals(event.userId())) {
				subscription.unsequenced(frame);
			}
		}
		frame.release();
	}

	/**
	 * Delivers a sequence event to the room's subscribers, after the room's channel has observed
	 * it (see {@link RoomChannel}); returns the frame (to be released by the caller), or null
	 * when no one here follows the room.
	 */
	private EncodedFrame deliver(String roomId, long seq, ServerFrame.Message message) {
		RoomChannel room = subscriptions.channel(roomId);
		if (room == null) {
			return null;
		}
		EncodedFrame frame = codec.encode(message);
		room.observe(seq, frame);
		if (message.editedAt() == null && message.deleted() == null) {
			metrics.fannedOut(message.sentAt());
		}
		for (RoomSubscription subscription : room.subscribers()) {
			if (subscription.live(seq, frame)) {
				echoed(subscription.session(), roomId, message.clientMsgId());
			}
		}
		return frame;
	}

	/**
	 * A retried send is answered with the original message: message-service re-publishes it
	 * (same id and seq), and the sender's session that acknowledged the retry gets it even if it
	 * is not subscribed, or already had that seq and dropped the copy as a duplicate.
	 */
	private void echoToSender(MessageEvent.MessageCreated created, ServerFrame.Message message, EncodedFrame encoded) {
		for (ClientSession session : sessions.ofUser(created.senderId())) {
			if (echoed(session, created.roomId(), created.clientMsgId())) {
				EncodedFrame frame = encoded != null ? encoded : codec.encode(message);
				session.send(frame);
				if (frame != encoded) {
					frame.release();
				}
			}
		}
	}

	/** Whether the session awaited this echo of its send; if so, the send's whole path is timed. */
	private boolean echoed(ClientSession session, String roomId, String clientMsgId) {
		long accepted = session.echoedSince(roomId, clientMsgId);
		if (accepted == ClientSession.NOT_AWAITED) {
			return false;
		}
		metrics.delivered(accepted);
		return true;
	}

	private void broadcast(String roomId, ServerFrame frame) {
		Collection<RoomSubscription> subscribers = subscriptions.of(roomId);
		if (subscribers.isEmpty()) {
			return;
		}
		EncodedFrame encoded = codec.encode(frame);
		subscribers.forEach(subscription -> subscription.unsequenced(encoded));
		encoded.release();
	}

	private static void release(EncodedFrame frame) {
		if (frame != null) {
			frame.release();
		}
	}

	/** Decodes a record; an unreadable one is logged and skipped (there is no one to answer). */
	private <T> T read(String value, Class<T> type) {
		try {
			return json.readValue(value, type);
		}
		catch (JacksonException ex) {
			log.warn("skipping an unreadable {} record: {}", type.getSimpleName(), ex.getOriginalMessage());
			return null;
		}
	}

}
