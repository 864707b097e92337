/**
 * room-service: rooms, memberships and invitations in {@code chat_rooms}, and their
 * {@code chat.rooms} events.
 *
 * <p>
 * Features: {@code room} (the room documents and unique names), {@code membership} (join, leave,
 * invite, hand over ownership, list members), {@code directory} (create, read, list and search
 * rooms), {@code outbox} (reliable publication of the events) and {@code store} (what the store
 * needs from every feature). Dependencies point one way: directory, then membership, then room,
 * then outbox and store.
 */
package dev.chat.room;
