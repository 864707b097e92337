/**
 * Meters every service shares: the Kafka clients' own metrics (consumer lag, producer sends)
 * bound for every consumer and producer factory, and the names of the chat meters that more
 * than one module records ({@link dev.chat.common.metrics.ChatMeters}). docs/operations.md lists
 * every meter.
 */
package dev.chat.common.metrics;
