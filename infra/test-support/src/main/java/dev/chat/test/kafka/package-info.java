/**
 * The test Kafka: an in-JVM KRaft broker started once per test JVM with the platform's topics,
 * a cluster named by {@code CHAT_TEST_KAFKA_BOOTSTRAP}, or a Kafka container.
 */
package dev.chat.test.kafka;
