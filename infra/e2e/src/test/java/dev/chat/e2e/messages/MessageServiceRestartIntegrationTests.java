package dev.chat.e2e.messages;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import dev.chat.e2e.support.Keycloak;
import dev.chat.e2e.support.TestStackExtension;
import dev.chat.stack.Component;
import dev.chat.stack.Stack;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * message-service goes away while 1,000 messages are being sent through the gateway, and comes
 * back: every message acknowledged with 202 is stored exactly once, the room's seqs have no gap,
 * and each sender's messages keep their order. Senders behave like clients: a send that got no
 * 202 is retried with the same clientMsgId until it gets one.
 */
@ExtendWith(TestStackExtension.class)
class MessageServiceRestartIntegrationTests {

	private static final int PER_SENDER = 500;

	private static final Duration RETRY_FOR = Duration.ofMinutes(3);

	@Test
	void stoppedAndRestartedWhile1000MessagesAreSentEveryAcknowledgedMessageIsStoredOnce(Stack stack,
			Keycloak keycloak) throws Exception {
		sendThroughAnOutage(stack, keycloak, component -> component.stop());
	}

	@Test
	void killedAndRestartedWhile1000MessagesAreSentEveryAcknowledgedMessageIsStoredOnce(Stack stack,
			Keycloak keycloak) throws Exception {
		// No graceful shutdown: whatever batch was half stored stays half stored.
		sendThroughAnOutage(stack, keycloak, component -> component.process().ifPresent(process -> {
			process.destroyForcibly();
			process.onExit().join();
		}));
	}

	private interface Outage {

		void begin(Component messageService) throws Exception;

	}

	private void sendThroughAnOutage(Stack stack, Keycloak keycloak, Outage outage) throws Exception {
		ChatApi api = new ChatApi(stack.config().ports().gateway(), keycloak);
		String roomId = api.createRoom("alice", "bob");
		AtomicInteger acknowledged = new AtomicInteger();
		Map<String, List<String>> acked = new HashMap<>();
		List<CompletableFuture<Void>> senders = new ArrayList<>();
		for (String user : List.of("alice", "bob")) {
			List<String> ids = Collections.synchronizedList(new ArrayList<>());
			acked.put(user, ids);
			senders.add(CompletableFuture
				.runAsync(() -> send(api, roomId, user, ids, acknowledged), Thread.ofPlatform().daemon()::start));
		}

		Awaitility.await("a third of the messages acknowledged")
			.atMost(Duration.ofMinutes(2))
			.until(() -> acknowledged.get() >= 2 * PER_SENDER / 3);
		Component messageService = stack.component("message-service");
		Instant down = Instant.now();
		outage.begin(messageService);
		stack.start(messageService);
		System.out.printf("message-service back after %d ms, %d messages acknowledged by then%n",
				Duration.between(down, Instant.now()).toMillis(), acknowledged.get());
		CompletableFuture.allOf(senders.toArray(CompletableFuture[]::new)).get();

		List<JsonNode> history = Awaitility.await("every acknowledged message stored")
			.atMost(Duration.ofMinutes(2))
			.pollInterval(Duration.ofSeconds(1))
			.until(() -> api.history("alice", roomId), messages -> messages.size() >= 2 * PER_SENDER);
		assertThat(history).extracting(m -> m.path("seq").asLong())
			.containsExactlyElementsOf(LongStream.rangeClosed(1, 2 * PER_SENDER).boxed().toList());
		for (String user : List.of("alice", "bob")) {
			String userId = api.userId(user);
			List<String> stored = history.stream()
				.filter(m -> m.path("senderId").asString().equals(userId))
				.map(m -> m.path("clientMsgId").asString())
				.toList();
			assertThat(stored).as(user + "'s messages, stored once each, in the order sent")
				.containsExactlyElementsOf(acked.get(user));
		}
	}

	/** Sends one message after the other, each retried with its clientMsgId until it gets a 202. */
	private static void send(ChatApi api, String roomId, String user, List<String> acked, AtomicInteger acknowledged) {
		for (int i = 0; i < PER_SENDER; i++) {
			String clientMsgId = user + "-" + i;
			Map<String, String> body = Map.of("clientMsgId", clientMsgId, "body", "message " + i + " from " + user);
			// Awaitility's polls are the client's retries, 200 ms apart.
			Awaitility.await(clientMsgId + " acknowledged")
				.atMost(RETRY_FOR)
				.pollDelay(Duration.ZERO)
				.pollInterval(Duration.ofMillis(200))
				.until(() -> {
					ChatApi.Response response = api.post(user, "/api/rooms/" + roomId + "/messages", body);
					if (response.status() >= 400 && response.status() < 500) {
						throw new IllegalStateException(clientMsgId + " refused: " + response);
					}
					return response.status() == 202;
				});
			acked.add(clientMsgId);
			acknowledged.incrementAndGet();
		}
	}

}
