/**
 * Memberships and invitations: join, leave, invite, hand over ownership, list members.
 *
 * <p>
 * Storage, every document found by {@code _id}:
 * <ul>
 * <li>{@code memberships}, {@code _id = "{roomId}:{userId}"}: whether the user is a member, and the
 * ids of its events not yet published (the outbox's evidence). Created by the first join (an
 * insert, so two joins cannot both create it), then switched between {@code MEMBER} and
 * {@code LEFT}, never deleted: deleting it would delete the evidence of an event still waiting
 * for Kafka;
 * <li>{@code invitations}, {@code _id = "{roomId}:{userId}"}: who invited whom; kept after the
 * join, so a member who left a private room may come back;
 * <li>{@code room_members}, {@code _id = roomId}: the room's member ids, what the members listing
 * pages through, and what the room's {@code memberCount} counts;
 * <li>{@code user_rooms}, {@code _id = userId}: the ids of the user's rooms, and of those that are
 * private, for "my rooms" and for listing the private rooms a user may see.
 * </ul>
 *
 * <p>
 * Member counts: a join that actually made the user a member adds the user to
 * {@code room_members} and, only if that added them, increments the room's {@code memberCount},
 * both under the room's lock ({@link dev.chat.room.room.Rooms#lockKey}); a leave does the
 * opposite. So the count equals the list's size whatever the concurrency. A request that dies
 * between the two writes is repaired by the outbox relay with a recount of the list.
 */
package dev.chat.room.membership;
