package dev.chat.gateway.socket;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.chat.common.events.MessageEvent;
import dev.chat.common.kafka.Topics;
import dev.chat.test.service.ChatServiceTest;
import dev.chat.test.service.PrometheusScrape;
import dev.chat.test.socket.SocketClient;
import dev.chat.test.tokens.TokenMinter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The socket meters move with the traffic, as Prometheus scrapes them from the node's own port
 * without a token: sockets open, frames in and out by type, the send path's delivery latency, the
 * fan-out's lag (in time, and the fan-out consumer's records lag).
 */
@ChatServiceTest
class SocketMetricsIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final MessageServiceStub messageService = MessageServiceStub.start();

	@LocalServerPort
	private int port;

	@Autowired
	private WebTestClient client;

	@Autowired
	private TokenMinter minter;

	@Value("${spring.kafka.bootstrap-servers}")
	private String bootstrap;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("chat.gateway.services.messages", messageService::uri);
	}

	@AfterAll
	static void stopStub() {
		messageService.close();
	}

	@Test
	void aSendThatComesBackAsItsMessageMovesTheSocketAndDeliveryMeters() {
		String room = "room-" + UUID.randomUUID().toString().substring(0, 8);
		messageService.store(room, 5);
		PrometheusScrape before = PrometheusScrape.of(client);

		try (SocketClient alice = SocketClient.connect(port, minter.token("alice", "user"));
				KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap),
						new StringSerializer(), new StringSerializer())) {
			alice.send("{\"type\":\"subscribe\",\"roomId\":\"" + room + "\"}");
			alice.next("subscribed", WAIT);
			alice.send("{\"type\":\"send\",\"roomId\":\"" + room + "\",\"clientMsgId\":\"m-1\",\"body\":\"hi\"}");
			alice.next("ack", WAIT);
			alice.send("{\"type\":\"ping\"}");
			alice.next("pong", WAIT);
			alice.send("not json");
			alice.next("error", WAIT);
			// message-service's answer to the send: stored as seq 6, published to the fan-out.
			MessageEvent stored = new MessageEvent.MessageCreated(UUID.randomUUID(), 1, room, 6, room + "-6",
					TokenMinter.subjectOf("alice"), "m-1", "hi", Instant.now());
			producer.send(new ProducerRecord<>(Topics.MESSAGES, room,
					JSON.writerFor(MessageEvent.class).writeValueAsString(stored)));
			assertThat(alice.next("message", WAIT).path("clientMsgId").asString()).isEqualTo("m-1");

			PrometheusScrape during = PrometheusScrape.of(client);
			assertThat(during.value("chat_sockets_open")).isGreaterThanOrEqualTo(1);
			assertThat(moved(before, during, "chat_socket_frames_in_total", "type=\"subscribe\"")).isEqualTo(1);
			assertThat(moved(before, during, "chat_socket_frames_in_total", "type=\"send\"")).isEqualTo(1);
			assertThat(moved(before, during, "chat_socket_frames_in_total", "type=\"ping\"")).isEqualTo(1);
			assertThat(moved(before, during, "chat_socket_frames_in_total", "type=\"invalid\"")).isEqualTo(1);
			assertThat(moved(before, during, "chat_socket_frames_out_total", "type=\"subscribed\"")).isEqualTo(1);
			assertThat(moved(before, during, "chat_socket_frames_out_total", "type=\"ack\"")).isEqualTo(1);
			assertThat(moved(before, during, "chat_socket_frames_out_total", "type=\"message\"")).isEqualTo(1);
			assertThat(moved(before, during, "chat_delivery_latency_seconds_count")).isEqualTo(1);
			assertThat(during.has("chat_delivery_latency_seconds_bucket")).as("a histogram").isTrue();
			assertThat(moved(before, during, "chat_fanout_lag_seconds_count")).isEqualTo(1);
			assertThat(during.value("chat_ratelimit_rejections_total", "scope=\"socket\"")).isZero();
			assertThat(during.has("kafka_consumer_fetch_manager_records_lag_max")).as("the fan-out's lag").isTrue();
			// Every meter names the service and the instance (chat.instance-id, here its default).
			assertThat(during.toString()).contains(
					"kafka_consumer_fetch_manager_records_lag_max{application=\"gateway-service\",chat_instance=\"gateway-service\",client_id=\"fan-out\"");
			assertThat(during.toString())
				.contains("chat_sockets_open{application=\"gateway-service\",chat_instance=\"gateway-service\"}");
		}

		await().atMost(WAIT).untilAsserted(() -> assertThat(PrometheusScrape.of(client).value("chat_sockets_open"))
			.isEqualTo(before.value("chat_sockets_open")));
	}

	@Test
	void theScrapeNamesNoUserAndNoRoom() {
		String room = "room-" + UUID.randomUUID().toString().substring(0, 8);
		messageService.store(room, 1);
		try (SocketClient bob = SocketClient.connect(port, minter.token("bob", "user"))) {
			bob.send("{\"type\":\"subscribe\",\"roomId\":\"" + room + "\"}");
			bob.next("subscribed", WAIT);

			String scrape = PrometheusScrape.of(client).toString();
			assertThat(scrape).doesNotContain(room).doesNotContain(TokenMinter.subjectOf("bob"));
		}
	}

	private static double moved(PrometheusScrape before, PrometheusScrape after, String name, String... labels) {
		return after.value(name, labels) - before.value(name, labels);
	}

}
