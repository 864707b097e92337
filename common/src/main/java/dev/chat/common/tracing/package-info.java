/**
 * Tracing helpers every service shares: Kafka observation on every template and listener
 * container, hand-made ones included ({@link dev.chat.common.tracing.KafkaObservationAutoConfiguration}),
 * and the current trace id ({@link dev.chat.common.tracing.TraceIds}). How a message's trace
 * runs through the services: {@code docs/tracing.md}.
 */
package dev.chat.common.tracing;
