/**
 * {@link dev.chat.test.service.ChatServiceTest}: a whole service on a random port against the
 * test store, the test Kafka and the token minter, and the assertions every service shares.
 */
package dev.chat.test.service;
