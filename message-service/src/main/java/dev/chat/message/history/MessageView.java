package dev.chat.message.history;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.chat.message.store.Entry;

/**
 * A message in its current state, shaped like the WebSocket {@code message} frame. In a history
 * page {@code seq} is the message's own seq; in a replay page it is the seq of the entry (the
 * creation, an edit or a delete of the message).
 *
 * @param id the message's id, {@code "{roomId}-{seq of its creation}"}
 * @param body the current text; absent once deleted
 * @param editedAt when it was last edited; absent if never
 * @param deleted true once deleted; absent otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record MessageView(String roomId, String id, long seq, String senderId, String body, Instant sentAt,
		String clientMsgId, Instant editedAt, Boolean deleted) {

	/** The message as of now, at the position {@code seq} of the room's sequence. */
	static MessageView of(String roomId, long seq, Entry.Created message) {
		return new MessageView(roomId, message.messageId().toString(), seq, message.senderId(), message.body(),
				message.sentAt(), message.clientMsgId(), message.editedAt(), message.deleted() ? Boolean.TRUE : null);
	}

}
