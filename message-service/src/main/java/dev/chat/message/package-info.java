/**
 * message-service: authorizes, sequences and stores a room's messages, publishes them to
 * {@code chat.messages}, and serves history, replay, edits and deletes over REST. Features live in
 * sub-packages: {@code membership} (the projection of {@code chat.rooms}), {@code store} (rooms'
 * sequences in buckets), {@code pipeline} (the consumer of {@code chat.messages.inbound}),
 * {@code history} and {@code command} (REST), {@code kafka} (serialization and error handling).
 */
package dev.chat.message;
