package dev.chat.e2e.messaging;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.chat.common.kafka.Topics;
import dev.chat.e2e.support.Keycloak;
import dev.chat.e2e.support.TestStackExtension;
import dev.chat.stack.Stack;
import dev.chat.test.socket.SocketClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One message is one trace across the processes of the stack: the gateway's record on
 * {@code chat.messages.inbound} and message-service's record on {@code chat.messages} carry
 * W3C {@code traceparent} headers of the same trace, each naming its own producer span; and a
 * REST request's trace id, sent by the client, is the one its problem document answers with,
 * from the service behind the gateway. (Span names and parents: the services' tracing tests.)
 */
@ExtendWith(TestStackExtension.class)
class MessageTraceIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Test
	void aSocketSendsRecordsOnBothTopicsCarryOneTrace(Stack stack, Keycloak keycloak) throws Exception {
		String token = keycloak.accessToken("alice");
		int gateway = stack.config().ports().gateway();
		JsonNode created = request(gateway, "POST", "/api/rooms", token,
				"{\"name\":\"e2e-trace-" + UUID.randomUUID() + "\",\"visibility\":\"public\"}", Map.of(), 201);
		String room = created.path("id").asString();
		try (KafkaConsumer<String, String> inbound = fromNow(stack, Topics.MESSAGES_INBOUND);
				KafkaConsumer<String, String> events = fromNow(stack, Topics.MESSAGES);
				SocketClient alice = SocketClient.connect(gateway, token)) {
			alice.send("{\"type\":\"subscribe\",\"roomId\":\"" + room + "\"}");
			alice.next("subscribed", WAIT);
			alice.send("{\"type\":\"send\",\"roomId\":\"" + room + "\",\"clientMsgId\":\"traced\",\"body\":\"hello\"}");
			alice.next("ack", WAIT);
			alice.next("message", WAIT);

			String[] command = traceparent(first(inbound, room)).split("-");
			String[] event = traceparent(first(events, room)).split("-");
			assertThat(event[1]).as("the trace of the chat.messages record").isEqualTo(command[1]);
			assertThat(event[2]).as("message-service's producer span").isNotEqualTo(command[2]);
		}
	}

	@Test
	void aProblemFromAServiceBehindTheGatewayAnswersWithTheClientsTraceId(Stack stack, Keycloak keycloak)
			throws Exception {
		String traceId = hex(16);
		JsonNode problem = request(stack.config().ports().gateway(), "GET",
				"/api/rooms/room-" + UUID.randomUUID() + "/messages", keycloak.accessToken("alice"), null,
				Map.of("traceparent", "00-" + traceId + "-" + hex(8) + "-01"), 404);
		assertThat(problem.path("traceId").asString()).isEqualTo(traceId);
	}

	private static KafkaConsumer<String, String> fromNow(Stack stack, String topic) {
		KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.config().kafkaBootstrap(),
						ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
				new StringDeserializer(), new StringDeserializer());
		List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30))
			.stream()
			.map(info -> new TopicPartition(info.topic(), info.partition()))
			.toList();
		consumer.assign(partitions);
		consumer.seekToEnd(partitions);
		partitions.forEach(consumer::position);
		return consumer;
	}

	private static ConsumerRecord<String, String> first(KafkaConsumer<String, String> consumer, String room) {
		List<ConsumerRecord<String, String>> seen = new ArrayList<>();
		await("a record of " + room).atMost(WAIT).until(() -> {
			consumer.poll(Duration.ofMillis(200)).forEach(record -> {
				if (room.equals(record.key())) {
					seen.add(record);
				}
			});
			return !seen.isEmpty();
		});
		return seen.getFirst();
	}

	private static String traceparent(ConsumerRecord<String, String> record) {
		Header header = record.headers().lastHeader("traceparent");
		assertThat(header).as("traceparent of the " + record.topic() + " record").isNotNull();
		String value = new String(header.value(), StandardCharsets.UTF_8);
		assertThat(value).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]");
		return value;
	}

	private static JsonNode request(int port, String method, String path, String token, String json,
			Map<String, String> headers, int expectedStatus) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.timeout(Duration.ofSeconds(10))
			.header("Authorization", "Bearer " + token)
			.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
					: HttpRequest.BodyPublishers.ofString(json));
		if (json != null) {
			request.header("Content-Type", "application/json");
		}
		headers.forEach(request::header);
		HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(expectedStatus);
		return response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
	}

	private static String hex(int bytes) {
		byte[] random = new byte[bytes];
		ThreadLocalRandom.current().nextBytes(random);
		return HexFormat.of().formatHex(random);
	}

}
