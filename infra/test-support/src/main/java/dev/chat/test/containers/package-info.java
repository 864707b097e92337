/**
 * MongoDB and Kafka in containers for machines with a Docker engine
 * ({@code CHAT_TEST_CONTAINERS=true}).
 */
package dev.chat.test.containers;
