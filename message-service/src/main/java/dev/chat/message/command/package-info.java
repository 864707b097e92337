/**
 * Sends, edits and deletes over REST: checked, then published to {@code chat.messages.inbound}
 * for the pipeline, answered 202 once Kafka has them.
 */
package dev.chat.message.command;
