package dev.chat.gateway.socket;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * What the server sends on {@code /ws} (protocol v1): JSON text frames with a {@code type}.
 * Absent optional fields are omitted.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({ @JsonSubTypes.Type(value = ServerFrame.Subscribed.class, name = "subscribed"),
		@JsonSubTypes.Type(value = ServerFrame.Ack.class, name = "ack"),
		@JsonSubTypes.Type(value = ServerFrame.Message.class, name = "message"),
		@JsonSubTypes.Type(value = ServerFrame.Presence.class, name = "presence"),
		@JsonSubTypes.Type(value = ServerFrame.Member.class, name = "member"),
		@JsonSubTypes.Type(value = ServerFrame.Typing.class, name = "typing"),
		@JsonSubTypes.Type(value = ServerFrame.Error.class, name = "error"),
		@JsonSubTypes.Type(value = ServerFrame.Pong.class, name = "pong") })
@JsonInclude(JsonInclude.Include.NON_NULL)
public sealed interface ServerFrame {

	/**
	 * The subscription is active; replayed events (if {@code sinceSeq} was given) and then live
	 * events follow.
	 *
	 * @param lastSeq the room's last seq when the subscription started
	 */
	record Subscribed(String roomId, long lastSeq) implements ServerFrame {
	}

	/** Kafka has durably taken the send with this {@code clientMsgId}; it will be stored. */
	record Ack(String clientMsgId) implements ServerFrame {
	}

	/**
	 * An entry of a room's sequence: a new message, or an edit or delete of one (then
	 * {@code editedAt} or {@code deleted} is set and {@code id} is the original message's).
	 *
	 * @param seq the entry's position in the room; strictly increasing, the same for everyone
	 * @param clientMsgId the sender's id for the message, so a sender can match its send
	 */
	record Message(String roomId, String id, long seq, String senderId, String body, java.time.Instant sentAt,
			String clientMsgId, java.time.Instant editedAt, Boolean deleted) implements ServerFrame {
	}

	/** A user came online ({@code online}) or went offline ({@code offline}) in a room. */
	record Presence(String roomId, String userId, String status) implements ServerFrame {
	}

	/** A user {@code joined} or {@code left} a room. */
	record Member(String roomId, String userId, String change) implements ServerFrame {
	}

	/** A user is typing in a room. */
	record Typing(String roomId, String userId) implements ServerFrame {
	}

	/**
	 * Something the client sent, or the connection's state, is wrong. The socket stays open
	 * unless a close follows.
	 *
	 * @param code machine-readable: {@code malformed}, {@code unknown_type}, {@code invalid},
	 * {@code token_expired}, {@code invalid_token}, {@code unsupported}, ...
	 * @param message for people
	 * @param ref what the error refers to, when known: the {@code clientMsgId} of a send, or
	 * the {@code roomId}
	 * @param retryAfterMs with {@code rate_limited}: the milliseconds after which the same frame
	 * would be taken; absent otherwise
	 */
	record Error(String code, String message, String ref, Long retryAfterMs) implements ServerFrame {

		Error(String code, String message, String ref) {
			this(code, message, ref, null);
		}

		static Error of(String code, String message) {
			return new Error(code, message, null);
		}

		static Error rateLimited(String message, String ref, long retryAfterMs) {
			return new Error("rate_limited", message, ref, retryAfterMs);
		}

	}

	/** The answer to {@code ping}. */
	record Pong() implements ServerFrame {
	}

}
