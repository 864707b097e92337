package dev.chat.message.pipeline;

import dev.chat.common.events.MessageEvent;
import dev.chat.message.store.Entry;

/**
 * The {@code chat.messages} event of a stored entry. Built from the store, the first
 * publication and any re-publication (after a crash, or for a duplicate send) carry the same
 * event id, seq and message id.
 */
final class StoredEvents {

	/**
	 * The event of a message's creation. The body is the message's current one: the original
	 * unless it was edited since (absent if it was deleted since).
	 */
	static MessageEvent.MessageCreated created(String roomId, Entry.Created message) {
		return new MessageEvent.MessageCreated(message.eventId(), 1, roomId, message.seq(),
				message.messageId().toString(), message.senderId(), message.clientMsgId(), message.body(),
				message.sentAt());
	}

	/** The event of an edit entry; {@code message} is the edited message in its current state. */
	static MessageEvent.MessageEdited edited(String roomId, Entry.Edited edit, Entry.Created message) {
		return new MessageEvent.MessageEdited(edit.eventId(), 1, roomId, edit.seq(), message.messageId().toString(),
				message.senderId(), message.clientMsgId(), message.body(), message.sentAt(), edit.editedAt());
	}

	/** The event of a delete entry; {@code message} is the deleted message. */
	static MessageEvent.MessageDeleted deleted(String roomId, Entry.Deleted delete, Entry.Created message) {
		return new MessageEvent.MessageDeleted(delete.eventId(), 1, roomId, delete.seq(),
				message.messageId().toString(), message.senderId(), message.clientMsgId(), message.sentAt(),
				delete.deletedBy(), delete.deletedAt());
	}

	private StoredEvents() {
	}

}
