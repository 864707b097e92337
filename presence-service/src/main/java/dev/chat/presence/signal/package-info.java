/**
 * The Kafka side: the listener of {@code chat.presence.events}, and the clients, error handling
 * and dead-letter topics every listener of the service uses.
 */
package dev.chat.presence.signal;
