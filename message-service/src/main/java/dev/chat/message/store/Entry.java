package dev.chat.message.store;

import java.time.Instant;
import java.util.UUID;

/**
 * One position of a room's sequence, as stored in its bucket. A message is created by a
 * {@link Created} entry; an edit or a delete is an entry of its own (its own seq, so a replay of
 * "everything after seq N" includes it) and also changes the {@link Created} entry in place, so
 * that history reads the message's current state from one place.
 */
public sealed interface Entry {

	/** The entry's position in the room, from 1, without gaps. */
	long seq();

	/** The message the entry is about. */
	MessageId messageId();

	/** The id of the event published for this entry; a re-publication reuses it. */
	UUID eventId();

	/**
	 * A message, in its current state.
	 *
	 * @param body the current text; null once deleted
	 * @param sentAt when it was stored
	 * @param editedAt when it was last edited; null if never
	 * @param deletedAt when it was deleted; null if it was not
	 * @param deletedBy who deleted it (its sender or the room's owner); null if not deleted
	 * @param lastChange the command of the last edit or delete applied to it: an edit or a delete
	 * changes this entry before it appends its own, and a retry that finds its own command here
	 * knows it was already authorized and only has to finish
	 */
	record Created(long seq, MessageId messageId, String senderId, String clientMsgId, String body, Instant sentAt,
			Instant editedAt, Instant deletedAt, String deletedBy, UUID eventId, UUID lastChange) implements Entry {

		public boolean deleted() {
			return deletedAt != null;
		}

	}

	/**
	 * An edit of the message {@code messageId}.
	 *
	 * @param editorId who edited it (always its sender)
	 * @param editedAt when
	 * @param commandId the edit command; with the room, its idempotency key
	 */
	record Edited(long seq, MessageId messageId, String editorId, Instant editedAt, UUID eventId, UUID commandId)
			implements Entry {
	}

	/**
	 * The deletion of the message {@code messageId}.
	 *
	 * @param deletedBy its sender or the room's owner
	 * @param deletedAt when
	 * @param commandId the delete command; with the room, its idempotency key
	 */
	record Deleted(long seq, MessageId messageId, String deletedBy, Instant deletedAt, UUID eventId,
			UUID commandId) implements Entry {
	}

}
