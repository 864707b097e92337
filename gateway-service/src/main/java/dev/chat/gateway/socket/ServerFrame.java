package dev.chat.gateway.socket;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * What the server sends on {@code /ws} (protocol v1): JSON text frames with a {@code type}.
 * Absent optional fields are omitted.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({ @JsonSubTypes.Type(value = ServerFrame.Error.class, name = "error"),
		@JsonSubTypes.Type(value = ServerFrame.Pong.class, name = "pong") })
@JsonInclude(JsonInclude.Include.NON_NULL)
public sealed interface ServerFrame {

	/**
	 * Something the client sent, or the connection's state, is wrong. The socket stays open
	 * unless a close follows.
	 *
	 * @param code machine-readable: {@code malformed}, {@code unknown_type}, {@code invalid},
	 * {@code token_expired}, {@code invalid_token}, {@code unsupported}, ...
	 * @param message for people
	 * @param ref what the error refers to, when known: the {@code clientMsgId} of a send, or
	 * the {@code roomId}
	 */
	record Error(String code, String message, String ref) implements ServerFrame {

		static Error of(String code, String message) {
			return new Error(code, message, null);
		}

	}

	/** The answer to {@code ping}. */
	record Pong() implements ServerFrame {
	}

}
