package dev.chat.common.events;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * Requests on {@code chat.messages.inbound}, keyed by {@code roomId}: what users want done to a
 * room's messages, not yet authorized or sequenced. Only message-service consumes them; because
 * a room's commands share one partition, it applies them one at a time in a single order, which
 * is the room's order.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({ @JsonSubTypes.Type(value = MessageCommand.SendMessage.class, name = MessageCommand.SendMessage.TYPE),
		@JsonSubTypes.Type(value = MessageCommand.EditMessage.class, name = MessageCommand.EditMessage.TYPE),
		@JsonSubTypes.Type(value = MessageCommand.DeleteMessage.class, name = MessageCommand.DeleteMessage.TYPE) })
public sealed interface MessageCommand {

	/** Unique per command. */
	UUID commandId();

	int version();

	/** When the gateway (or message-service's REST endpoint) accepted the request. */
	Instant receivedAt();

	/** The room; the record key. */
	String roomId();

	/** The user asking ({@code sub} of their token). */
	String userId();

	/**
	 * Send a message.
	 *
	 * @param clientMsgId the sender's id for the message; with roomId and userId, the
	 * idempotency key: a retry is stored once and answered with the original message
	 * @param body validated text (1-4,000 characters, no control characters but newline and tab)
	 */
	record SendMessage(UUID commandId, int version, Instant receivedAt, String roomId, String userId,
			String clientMsgId, String body) implements MessageCommand {

		public static final String TYPE = "message.send";

		public static SendMessage of(String roomId, String userId, String clientMsgId, String body) {
			return new SendMessage(UUID.randomUUID(), 1, Instant.now(), roomId, userId, clientMsgId, body);
		}

	}

	/** Replace a message's body; only its sender may. */
	record EditMessage(UUID commandId, int version, Instant receivedAt, String roomId, String userId,
			String messageId, String body) implements MessageCommand {

		public static final String TYPE = "message.edit";

	}

	/** Delete a message; its sender or the room's owner may. */
	record DeleteMessage(UUID commandId, int version, Instant receivedAt, String roomId, String userId,
			String messageId) implements MessageCommand {

		public static final String TYPE = "message.delete";

	}

}
