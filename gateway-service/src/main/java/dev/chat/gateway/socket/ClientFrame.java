package dev.chat.gateway.socket;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * What a client sends on {@code /ws} (protocol v1): JSON text frames with a {@code type}.
 * Decoded once by {@link FrameCodec}; handled with an exhaustive {@code switch}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({ @JsonSubTypes.Type(value = ClientFrame.Subscribe.class, name = "subscribe"),
		@JsonSubTypes.Type(value = ClientFrame.Unsubscribe.class, name = "unsubscribe"),
		@JsonSubTypes.Type(value = ClientFrame.Send.class, name = "send"),
		@JsonSubTypes.Type(value = ClientFrame.Typing.class, name = "typing"),
		@JsonSubTypes.Type(value = ClientFrame.Auth.class, name = "auth"),
		@JsonSubTypes.Type(value = ClientFrame.Ping.class, name = "ping") })
public sealed interface ClientFrame {

	/**
	 * Start receiving a room's events.
	 *
	 * @param roomId the room; the user must be a member
	 * @param sinceSeq when present, first replay every room event after this seq
	 */
	record Subscribe(String roomId, Long sinceSeq) implements ClientFrame {
	}

	/** Stop receiving a room's events. */
	record Unsubscribe(String roomId) implements ClientFrame {
	}

	/**
	 * Send a message.
	 *
	 * @param clientMsgId the client's id for this message, unique per sender and room; a retry
	 * with the same id is stored once
	 * @param body the text, 1 to 4,000 characters after trimming; no control characters but
	 * newline and tab
	 */
	record Send(String roomId, String clientMsgId, String body) implements ClientFrame {
	}

	/** The user is typing in a room. */
	record Typing(String roomId) implements ClientFrame {
	}

	/**
	 * A fresh access token for this connection, sent before the current one expires; it must
	 * belong to the same user.
	 */
	record Auth(String token) implements ClientFrame {

		@Override
		public String toString() {
			return "Auth[token=<redacted>]";
		}

	}

	/** Application-level keep-alive; answered with {@code pong}. */
	record Ping() implements ClientFrame {
	}

}
