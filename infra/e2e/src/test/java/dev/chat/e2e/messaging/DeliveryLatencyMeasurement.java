package dev.chat.e2e.messaging;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.chat.e2e.support.Keycloak;
import dev.chat.e2e.support.TestStackExtension;
import dev.chat.stack.Stack;
import dev.chat.test.socket.SocketClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Send-to-delivery latency at 100 messages a second in one room of 10 subscribers, spread over
 * both gateway nodes; 5 of them send 20 messages a second each (the per-connection rate).
 * The first 60 seconds warm the services up (their JIT compilers above all) and are not counted;
 * the 30 seconds after them are. A measurement, not a test: it prints percentiles and asserts only
 * that nothing was lost.
 *
 * <pre>
 * ./chat test -pl infra/e2e -Dtest=DeliveryLatencyMeasurement -Dchat.measure=delivery
 * </pre>
 */
@ExtendWith(TestStackExtension.class)
@EnabledIfSystemProperty(named = "chat.measure", matches = "delivery")
class DeliveryLatencyMeasurement {

	private static final int SUBSCRIBERS = 10;

	private static final int SENDERS = 5;

	private static final int WARM_UP_SECONDS = 60;

	private static final int SECONDS = 30;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Test
	void latencyAt100MessagesPerSecondInARoomOf10(Stack stack, Keycloak keycloak) throws Exception {
		var ports = stack.config().ports();
		List<String> users = List.of("alice", "bob", "carol");
		Map<String, String> tokens = new ConcurrentHashMap<>();
		users.forEach(user -> tokens.put(user, keycloak.accessToken(user)));
		String room = createRoom(ports.gateway(), tokens);

		Map<String, Long> sentAt = new ConcurrentHashMap<>();
		List<Long> latenciesMicros = new CopyOnWriteArrayList<>();
		List<SocketClient> clients = new ArrayList<>();
		try {
			for (int i = 0; i < SUBSCRIBERS; i++) {
				int port = i % 2 == 0 ? ports.gateway() : ports.gateway2();
				SocketClient client = SocketClient.connect(port, tokens.get(users.get(i % users.size())));
				client.send("{\"type\":\"subscribe\",\"roomId\":\"" + room + "\"}");
				client.next("subscribed", Duration.ofSeconds(20));
				clients.add(client);
			}
			int total = SENDERS * 20 * (WARM_UP_SECONDS + SECONDS);
			long firstCounted = 20L * WARM_UP_SECONDS;
			List<Thread> readers = new ArrayList<>();
			for (SocketClient client : clients) {
				Thread reader = Thread.ofVirtual().start(() -> {
					for (int received = 0; received < total;) {
						JsonNode frame = client.next(Duration.ofSeconds(30));
						if ("message".equals(frame.path("type").asString())) {
							long now = System.nanoTime();
							String id = frame.path("clientMsgId").asString();
							if (Long.parseLong(id.substring(id.indexOf('-') + 1)) >= firstCounted) {
								latenciesMicros.add((now - sentAt.get(id)) / 1_000);
							}
							received++;
						}
					}
				});
				readers.add(reader);
			}
			Flux.range(0, SENDERS).flatMap(sender -> Flux.interval(Duration.ofMillis(50)).take(20L * (WARM_UP_SECONDS + SECONDS)).doOnNext(n -> {
				String id = "s" + sender + "-" + n;
				sentAt.put(id, System.nanoTime());
				clients.get(sender).send("{\"type\":\"send\",\"roomId\":\"" + room + "\",\"clientMsgId\":\"" + id
						+ "\",\"body\":\"latency probe " + id + "\"}");
			})).blockLast();
			for (Thread reader : readers) {
				reader.join(Duration.ofSeconds(60));
			}
			assertThat(latenciesMicros).hasSize(SENDERS * 20 * SECONDS * SUBSCRIBERS);
		}
		finally {
			clients.forEach(SocketClient::close);
		}
		long[] sorted = latenciesMicros.stream().mapToLong(Long::longValue).sorted().toArray();
		System.out.printf("delivery latency over %,d deliveries at %d msg/s, %d subscribers: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
				sorted.length, SENDERS * 20, SUBSCRIBERS, sorted[sorted.length / 2] / 1000.0,
				sorted[(int) (sorted.length * 0.99)] / 1000.0, sorted[sorted.length - 1] / 1000.0);
		assertThat(Arrays.stream(sorted).min().orElseThrow()).isPositive();
	}

	private static String createRoom(int gateway, Map<String, String> tokens) throws Exception {
		HttpClient http = HttpClient.newHttpClient();
		HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway + "/api/rooms"))
			.header("Authorization", "Bearer " + tokens.get("alice"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"latency-" + UUID.randomUUID() + "\",\"visibility\":\"public\"}"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		String room = JSON.readTree(created.body()).path("id").asString();
		for (String user : List.of("bob", "carol")) {
			HttpResponse<String> joined = http.send(HttpRequest
				.newBuilder(URI.create("http://127.0.0.1:" + gateway + "/api/rooms/" + room + "/join"))
				.header("Authorization", "Bearer " + tokens.get(user))
				.POST(HttpRequest.BodyPublishers.noBody())
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(joined.statusCode()).as(joined.body()).isEqualTo(200);
		}
		// The gateway asks message-service about a subscription; memberships reach it through chat.rooms.
		for (String user : List.of("alice", "bob", "carol")) {
			HttpRequest history = HttpRequest
				.newBuilder(URI.create("http://127.0.0.1:" + gateway + "/api/rooms/" + room + "/messages?limit=1"))
				.header("Authorization", "Bearer " + tokens.get(user))
				.build();
			Awaitility.await(user + "'s membership known to message-service")
				.atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(200))
				.until(() -> http.send(history, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
		}
		return room;
	}

}
