package dev.chat.gateway.socket;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import dev.chat.common.events.MessageEvent;
import dev.chat.common.events.PresenceChanged;
import dev.chat.common.events.RoomEvent;
import dev.chat.common.events.TypingEvent;
import dev.chat.common.kafka.Topics;

/**
 * Delivers the fan-out topics to this node's sockets. Every node reads them in a consumer group
 * of its own, so every node sees every event; it delivers to the sessions it holds. Each event
 * is encoded once and the same text is queued to every subscribed session.
 */
@Component
class FanOutListener {

	private static final Logger log = LoggerFactory.getLogger(FanOutListener.class);

	private final JsonMapper json = JsonMapper.builder().build();

	private final FrameCodec codec;

	private final Subscriptions subscriptions;

	private final SessionRegistry sessions;

	private final PresenceSignals presence;

	FanOutListener(FrameCodec codec, Subscriptions subscriptions, SessionRegistry sessions,
			PresenceSignals presence) {
		this.codec = codec;
		this.subscriptions = subscriptions;
		this.sessions = sessions;
		this.presence = presence;
	}

	@KafkaListener(topics = Topics.MESSAGES, groupId = "gateway-${chat.gateway.node-id}-messages",
			properties = "auto.offset.reset=latest")
	void onMessageEvent(String value) {
		MessageEvent event = read(value, MessageEvent.class);
		switch (event) {
			case null -> {
			}
			case MessageEvent.MessageCreated created -> {
				String frame = deliver(created.roomId(), created.seq(),
						new ServerFrame.Message(created.roomId(), created.messageId(), created.seq(),
								created.senderId(), created.body(), created.sentAt(), created.clientMsgId(), null, null));
				echoToSender(created, frame);
			}
			case MessageEvent.MessageEdited edited -> deliver(edited.roomId(), edited.seq(),
					new ServerFrame.Message(edited.roomId(), edited.messageId(), edited.seq(), edited.senderId(),
							edited.body(), edited.sentAt(), edited.clientMsgId(), edited.editedAt(), null));
			case MessageEvent.MessageDeleted deleted -> deliver(deleted.roomId(), deleted.seq(),
					new ServerFrame.Message(deleted.roomId(), deleted.messageId(), deleted.seq(), deleted.senderId(),
							null, deleted.sentAt(), deleted.clientMsgId(), null, true));
			case MessageEvent.MessageRejected rejected -> sessions.ofUser(rejected.senderId())
				.forEach(session -> session.send(codec.encode(new ServerFrame.Error(rejected.reason(),
						"the message was not accepted", rejected.clientMsgId()))));
		}
	}

	@KafkaListener(topics = Topics.ROOMS, groupId = "gateway-${chat.gateway.node-id}-rooms",
			properties = "auto.offset.reset=latest")
	void onRoomEvent(String value) {
		RoomEvent event = read(value, RoomEvent.class);
		switch (event) {
			case null -> {
			}
			case RoomEvent.MemberJoined joined -> broadcast(joined.roomId(),
					new ServerFrame.Member(joined.roomId(), joined.userId(), "joined"));
			case RoomEvent.MemberLeft left -> {
				// A user who left may no longer write to or read the room from this node.
				sessions.ofUser(left.userId()).forEach(session -> {
					session.memberOf().remove(left.roomId());
					if (session.subscribed().remove(left.roomId())) {
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

	@KafkaListener(topics = Topics.PRESENCE, groupId = "gateway-${chat.gateway.node-id}-presence",
			properties = "auto.offset.reset=latest")
	void onPresence(String value) {
		PresenceChanged change = read(value, PresenceChanged.class);
		if (change != null) {
			broadcast(change.roomId(), new ServerFrame.Presence(change.roomId(), change.userId(), change.status()));
		}
	}

	@KafkaListener(topics = Topics.TYPING, groupId = "gateway-${chat.gateway.node-id}-typing",
			properties = "auto.offset.reset=latest")
	void onTyping(String value) {
		TypingEvent event = read(value, TypingEvent.class);
		if (event == null) {
			return;
		}
		String frame = codec.encode(new ServerFrame.Typing(event.roomId(), event.userId()));
		for (RoomSubscription subscription : subscriptions.of(event.roomId())) {
			if (!subscription.session().userId().equals(event.userId())) {
				subscription.unsequenced(frame);
			}
		}
	}

	/** Delivers a sequence event to the room's subscribers; returns the frame, or null when no one here took it. */
	private String deliver(String roomId, long seq, ServerFrame.Message message) {
		var subscribers = subscriptions.of(roomId);
		String frame = null;
		for (RoomSubscription subscription : subscribers) {
			frame = frame != null ? frame : codec.encode(message);
			if (subscription.live(seq, frame)) {
				subscription.session().echoed(roomId, message.clientMsgId());
			}
		}
		return frame;
	}

	/**
	 * A retried send is answered with the original message: message-service re-publishes it
	 * (same id and seq), and the sender's session that acknowledged the retry gets it even if it
	 * is not subscribed, or already had that seq and dropped the copy as a duplicate.
	 */
	private void echoToSender(MessageEvent.MessageCreated created, String encoded) {
		for (ClientSession session : sessions.ofUser(created.senderId())) {
			if (session.echoed(created.roomId(), created.clientMsgId())) {
				session.send(encoded != null ? encoded
						: codec.encode(new ServerFrame.Message(created.roomId(), created.messageId(), created.seq(),
								created.senderId(), created.body(), created.sentAt(), created.clientMsgId(), null,
								null)));
			}
		}
	}

	private void broadcast(String roomId, ServerFrame frame) {
		var subscribers = subscriptions.of(roomId);
		if (subscribers.isEmpty()) {
			return;
		}
		String encoded = codec.encode(frame);
		subscribers.forEach(subscription -> subscription.unsequenced(encoded));
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
