/**
 * presence-service: who is online in each room, across devices and gateway nodes, kept in
 * {@code chat_presence} and published on {@code chat.presence}.
 *
 * <p>
 * Features: {@code signal} (reading {@code chat.presence.events}, Kafka clients and dead
 * letters), {@code tracking} (users' connections, rooms' online lists, grace periods, drops of
 * dead nodes), {@code node} (gateway node incarnations and liveness), {@code membership} (the
 * projection of {@code chat.rooms}) and {@code room} (the REST endpoint). Dependencies point one
 * way: signal and room use tracking and membership; tracking uses node.
 *
 * <p>
 * Every document is read and written by {@code _id} only: on the local store (FerretDB on
 * SQLite) any other filter scans the whole collection.
 */
package dev.chat.presence;
