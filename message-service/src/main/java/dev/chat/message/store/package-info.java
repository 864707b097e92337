/**
 * Rooms' sequences on the Mongo wire: buckets of 64 entries, idempotency keys and per-room
 * counters, every access by {@code _id}, written in an order that survives a crash at any point
 * (see {@link dev.chat.message.store.MessageStore}).
 */
package dev.chat.message.store;
