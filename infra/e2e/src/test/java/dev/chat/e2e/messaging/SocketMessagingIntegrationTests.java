package dev.chat.e2e.messaging;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.BeforeEach;
import reactor.core.publisher.Flux;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.chat.e2e.support.Keycloak;
import dev.chat.e2e.support.TestStackExtension;
import dev.chat.stack.Stack;
import dev.chat.test.socket.SocketClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The send path end to end over WebSockets, across both gateway nodes, with real tokens, the
 * real room-service, message-service and Kafka: order, acknowledgements, recovery with
 * {@code sinceSeq} and idempotent retries.
 */
@ExtendWith(TestStackExtension.class)
class SocketMessagingIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private Stack stack;

	private String aliceToken;

	private String bobToken;

	private String room;

	@BeforeEach
	void aRoomOfAliceAndBob(Stack stack, Keycloak keycloak) throws Exception {
		this.stack = stack;
		aliceToken = keycloak.accessToken("alice");
		bobToken = keycloak.accessToken("bob");
		JsonNode created = request("POST", "/api/rooms", aliceToken,
				"{\"name\":\"e2e-" + UUID.randomUUID() + "\",\"visibility\":\"public\"}", 201);
		room = created.path("id").asString();
		request("POST", "/api/rooms/" + room + "/join", bobToken, null, 200);
	}

	@Test
	void aHundredMessagesArriveInOrderForEveryoneWithAcksEchoesAndContiguousHistory() throws Exception {
		try (SocketClient alice = subscribed(gateway(), aliceToken, null);
				SocketClient bob = subscribed(gateway2(), bobToken, null)) {
			// At the per-connection send rate a client is allowed (20 a second).
			Flux.interval(Duration.ofMillis(50))
				.take(100)
				.doOnNext(i -> alice.send(send("m-" + i, "message " + i)))
				.blockLast();

			List<String> acks = new ArrayList<>();
			List<JsonNode> echoes = new ArrayList<>();
			while (acks.size() < 100 || echoes.size() < 100) {
				JsonNode frame = alice.next(WAIT);
				switch (frame.path("type").asString()) {
					case "ack" -> acks.add(frame.path("clientMsgId").asString());
					case "message" -> echoes.add(frame);
					case "error" -> throw new AssertionError("unexpected " + frame);
					default -> {
						// presence and member frames of the room are not what this test counts
					}
				}
			}
			List<JsonNode> received = new ArrayList<>();
			for (int i = 0; i < 100; i++) {
				received.add(bob.next("message", WAIT));
			}

			List<String> sent = new ArrayList<>();
			for (int i = 0; i < 100; i++) {
				sent.add("m-" + i);
			}
			assertThat(acks).containsExactlyElementsOf(sent);
			assertThat(received).extracting(m -> m.path("clientMsgId").asString()).containsExactlyElementsOf(sent);
			assertThat(echoes).extracting(m -> m.path("clientMsgId").asString()).containsExactlyElementsOf(sent);
			assertStrictlyIncreasing(received);
			assertThat(received).extracting(m -> m.path("seq").asLong())
				.containsExactlyElementsOf(echoes.stream().map(m -> m.path("seq").asLong()).toList());

			JsonNode history = request("GET", "/api/rooms/" + room + "/messages?afterSeq=0&limit=200", bobToken, null,
					200);
			List<Long> seqs = new ArrayList<>();
			history.path("messages").forEach(m -> seqs.add(m.path("seq").asLong()));
			assertThat(seqs).hasSize(100);
			for (int i = 1; i < seqs.size(); i++) {
				assertThat(seqs.get(i)).isEqualTo(seqs.get(i - 1) + 1);
			}
		}
	}

	@Test
	void aReconnectWithSinceSeqReplaysExactlyWhatWasMissedThenContinuesLive() throws Exception {
		long lastSeen;
		try (SocketClient alice = subscribed(gateway(), aliceToken, null)) {
			try (SocketClient bob = subscribed(gateway2(), bobToken, null)) {
				alice.send(send("before", "before"));
				lastSeen = bob.next("message", WAIT).path("seq").asLong();
			}
			for (int i = 0; i < 20; i++) {
				alice.send(send("away-" + i, "while bob was away " + i));
			}
			for (int i = 0; i < 20; i++) {
				alice.next("ack", WAIT);
			}
			// alice keeps sending while bob's replay runs
			CompletableFuture<Void> during = CompletableFuture.runAsync(() -> {
				for (int i = 0; i < 20; i++) {
					alice.send(send("during-" + i, "during the replay " + i));
				}
			});
			try (SocketClient bob = subscribed(gateway2(), bobToken, lastSeen)) {
				during.join();
				List<JsonNode> received = new ArrayList<>();
				for (int i = 0; i < 40; i++) {
					received.add(bob.next("message", WAIT));
				}
				List<String> expected = new ArrayList<>();
				for (int i = 0; i < 20; i++) {
					expected.add("away-" + i);
				}
				for (int i = 0; i < 20; i++) {
					expected.add("during-" + i);
				}
				assertThat(received).extracting(m -> m.path("clientMsgId").asString())
					.containsExactlyElementsOf(expected);
				assertStrictlyIncreasing(received);
				assertThat(received.getFirst().path("seq").asLong()).isEqualTo(lastSeen + 1);
				for (int i = 1; i < received.size(); i++) {
					assertThat(received.get(i).path("seq").asLong())
						.isEqualTo(received.get(i - 1).path("seq").asLong() + 1);
				}
			}
		}
	}

	@Test
	void theSameClientMsgIdIsStoredOnceAndTheRetryIsAnsweredWithTheOriginalAlsoOnAnotherNode() throws Exception {
		JsonNode original;
		try (SocketClient alice = subscribed(gateway(), aliceToken, null)) {
			alice.send(send("only-once", "hello"));
			alice.next("ack", WAIT);
			original = alice.next("message", WAIT);
		}
		try (SocketClient alice = SocketClient.connect(gateway2(), aliceToken)) {
			alice.send(send("only-once", "hello"));
			assertThat(alice.next("ack", WAIT).path("clientMsgId").asString()).isEqualTo("only-once");
			JsonNode answer = alice.next("message", WAIT);
			assertThat(answer.path("id").asString()).isEqualTo(original.path("id").asString());
			assertThat(answer.path("seq").asLong()).isEqualTo(original.path("seq").asLong());
		}
		JsonNode history = request("GET", "/api/rooms/" + room + "/messages?afterSeq=0&limit=200", aliceToken, null,
				200);
		Set<String> ids = new HashSet<>();
		history.path("messages").forEach(m -> {
			if ("only-once".equals(m.path("clientMsgId").asString())) {
				ids.add(m.path("id").asString());
			}
		});
		assertThat(history.path("messages").size()).isEqualTo(1);
		assertThat(ids).containsExactly(original.path("id").asString());
	}

	private SocketClient subscribed(int port, String token, Long sinceSeq) {
		SocketClient client = SocketClient.connect(port, token);
		client.send("{\"type\":\"subscribe\",\"roomId\":\"" + room + "\""
				+ (sinceSeq == null ? "" : ",\"sinceSeq\":" + sinceSeq) + "}");
		client.next("subscribed", WAIT);
		return client;
	}

	private String send(String clientMsgId, String body) {
		return "{\"type\":\"send\",\"roomId\":\"" + room + "\",\"clientMsgId\":\"" + clientMsgId + "\",\"body\":\""
				+ body + "\"}";
	}

	private static void assertStrictlyIncreasing(List<JsonNode> messages) {
		for (int i = 1; i < messages.size(); i++) {
			assertThat(messages.get(i).path("seq").asLong()).isGreaterThan(messages.get(i - 1).path("seq").asLong());
		}
	}

	private int gateway() {
		return stack.config().ports().gateway();
	}

	private int gateway2() {
		return stack.config().ports().gateway2();
	}

	private JsonNode request(String method, String path, String token, String json, int expectedStatus)
			throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway() + path))
			.timeout(Duration.ofSeconds(10))
			.header("Authorization", "Bearer " + token)
			.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
					: HttpRequest.BodyPublishers.ofString(json));
		if (json != null) {
			request.header("Content-Type", "application/json");
		}
		HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(expectedStatus);
		return response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
	}

}
