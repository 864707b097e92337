/**
 * Kafka plumbing: JSON values of the platform's sealed event families, container factories, and
 * the error handler that retries with back-off and dead-letters what cannot be processed.
 */
package dev.chat.message.kafka;
