/**
 * Reliable publication of {@code chat.rooms} events without multi-document transactions.
 *
 * <p>
 * A change and its event are tied together in three steps, each a single-document write:
 * <ol>
 * <li>{@link dev.chat.room.outbox.Outbox#intend}: an {@link dev.chat.room.outbox.OutboxEntry} in the
 * small {@code outbox} collection holds the event, with its id fixed now, in state
 * {@code INTENT}: it will be published only if the change is stored;
 * <li>the change itself, whose document records the event id as evidence in the same write (the
 * room's {@code createdEventId}, the membership's {@code outbox} list, the invitation's
 * {@code eventId});
 * <li>{@link dev.chat.room.outbox.Outbox#ready}, once the change and what follows from it (member
 * counts, member lists) are stored: the entry may be published.
 * </ol>
 * The {@link dev.chat.room.outbox.OutboxRelay} publishes ready entries in order and then drops the
 * evidence and the entry. An entry still in {@code INTENT} after the grace period belongs to a
 * request that died: the relay asks the feature that owns the change
 * ({@link dev.chat.room.outbox.EventSource}) whether its evidence is stored. Yes: the change
 * happened, the feature completes what the request could not, and the event is published. No: the
 * change never happened (or the event was published and only the entry's deletion was lost), and
 * the entry is discarded unpublished.
 *
 * <p>
 * Why this is safe: the evidence is written in the same single-document write as the change, so
 * "evidence present" is exactly "change stored"; an entry is written before its change, so no
 * stored change lacks an entry; and an entry is judged by its evidence only after the grace
 * period, which is longer than any request may take to write its change (fail-fast check in
 * {@link dev.chat.room.outbox.OutboxProperties}). A crash after publishing but before deleting an
 * entry publishes it again with the same {@code eventId}: consumers drop it by that id.
 */
package dev.chat.room.outbox;
