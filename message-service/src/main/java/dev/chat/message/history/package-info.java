/**
 * History pages and the replay of a room's sequence over REST, read from the buckets a seq range
 * falls in.
 */
package dev.chat.message.history;
