/**
 * The consumer of {@code chat.messages.inbound}: each polled batch split by room, each room's
 * commands applied in order (sends in runs, edits and deletes one by one), events published to
 * {@code chat.messages}, offsets committed after.
 */
package dev.chat.message.pipeline;
