package dev.chat.common.kafka;

import java.util.List;

/**
 * The Kafka topics of the platform, with the record key each one is partitioned by. Keying by
 * room keeps every event of a room in one partition, which is what gives a room its single
 * order; keying by user does the same for one user's presence events.
 */
public final class Topics {

	/** Messages clients want sent, before authorization and sequencing. Key: roomId. */
	public static final String MESSAGES_INBOUND = "chat.messages.inbound";

	/** Stored message events (created, edited, deleted) and rejections. Key: roomId. */
	public static final String MESSAGES = "chat.messages";

	/** Room lifecycle and membership changes. Key: roomId. */
	public static final String ROOMS = "chat.rooms";

	/** User registrations and profile changes. Key: userId. */
	public static final String USERS = "chat.users";

	/** Connection and subscription events from gateway nodes, and node heartbeats. Key: userId. */
	public static final String PRESENCE_EVENTS = "chat.presence.events";

	/** Online and offline changes per room. Key: roomId. */
	public static final String PRESENCE = "chat.presence";

	/** Typing indicators; never stored. Key: roomId. */
	public static final String TYPING = "chat.typing";

	/** Every topic above; the local stack creates them at start. */
	public static final List<String> ALL = List.of(MESSAGES_INBOUND, MESSAGES, ROOMS, USERS, PRESENCE_EVENTS,
			PRESENCE, TYPING);

	/** The dead-letter topic for records of {@code topic} that could not be processed. */
	public static String deadLetter(String topic) {
		return topic + ".dlt";
	}

	private Topics() {
	}

}
