package dev.chat.common.events;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * Events on {@code chat.messages}, keyed by {@code roomId}, published by message-service after
 * storing. Every event but a rejection is an entry of the room's sequence: {@code seq} strictly
 * increases within a room, and an edit or a delete takes the next seq like a new message, so a
 * client that replays "everything after seq N" learns of edits and deletes too. Gateways turn
 * each into a {@code message} frame (or, for a rejection, an {@code error} frame to the sender).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({ @JsonSubTypes.Type(value = MessageEvent.MessageCreated.class, name = MessageEvent.MessageCreated.TYPE),
		@JsonSubTypes.Type(value = MessageEvent.MessageEdited.class, name = MessageEvent.MessageEdited.TYPE),
		@JsonSubTypes.Type(value = MessageEvent.MessageDeleted.class, name = MessageEvent.MessageDeleted.TYPE),
		@JsonSubTypes.Type(value = MessageEvent.MessageRejected.class, name = MessageEvent.MessageRejected.TYPE) })
public sealed interface MessageEvent {

	/** Unique per event; a re-publication after a crash carries the same id. */
	UUID eventId();

	int version();

	/** The room; the record key. */
	String roomId();

	/**
	 * A message was stored.
	 *
	 * @param seq its position in the room
	 * @param messageId the message's id, stable across edits and deletes
	 * @param clientMsgId the sender's id for it, echoed so the sender can match its send
	 * @param sentAt when message-service stored it
	 */
	record MessageCreated(UUID eventId, int version, String roomId, long seq, String messageId, String senderId,
			String clientMsgId, String body, Instant sentAt) implements MessageEvent {

		public static final String TYPE = "message.created";

	}

	/**
	 * A message's body was replaced.
	 *
	 * @param seq the edit's own position in the room (not the message's original seq)
	 */
	record MessageEdited(UUID eventId, int version, String roomId, long seq, String messageId, String senderId,
			String clientMsgId, String body, Instant sentAt, Instant editedAt) implements MessageEvent {

		public static final String TYPE = "message.edited";

	}

	/**
	 * A message was deleted; its body is gone.
	 *
	 * @param seq the delete's own position in the room
	 */
	record MessageDeleted(UUID eventId, int version, String roomId, long seq, String messageId, String senderId,
			String clientMsgId, Instant sentAt, String deletedBy, Instant deletedAt) implements MessageEvent {

		public static final String TYPE = "message.deleted";

	}

	/**
	 * A send was refused; nothing was stored.
	 *
	 * @param reason machine-readable: {@code not_member}, {@code room_not_found}, ...
	 */
	record MessageRejected(UUID eventId, int version, String roomId, String senderId, String clientMsgId,
			String reason) implements MessageEvent {

		public static final String TYPE = "message.rejected";

	}

}
