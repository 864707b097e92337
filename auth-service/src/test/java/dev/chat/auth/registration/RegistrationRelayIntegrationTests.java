package dev.chat.auth.registration;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.chat.common.kafka.Topics;
import dev.chat.test.service.ChatServiceTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.data.mongodb.core.query.Criteria.where;

/**
 * The registration outbox on FerretDB and a real Kafka broker, with Keycloak down (nothing
 * listens on its port): a ready registration is published by the relay, and one whose Keycloak
 * step cannot be judged is kept, never dropped, until Keycloak answers. The paths that need
 * Keycloak up are in infra/e2e ({@code RegistrationSettlementIntegrationTests}).
 */
@ChatServiceTest
class RegistrationRelayIntegrationTests {

	private static final int KEYCLOAK_PORT = closedPort();

	@Autowired
	private ReactiveMongoTemplate mongo;

	@Autowired
	private RegistrationRelay relay;

	@Autowired
	private WebTestClient client;

	@Value("${spring.kafka.bootstrap-servers}")
	private String bootstrap;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("chat.auth.keycloak.base-url", () -> "http://127.0.0.1:" + KEYCLOAK_PORT);
		registry.add("chat.auth.registration.grace", () -> "1s");
		registry.add("chat.auth.registration.poll-interval", () -> "200ms");
	}

	@Test
	void aReadyRegistrationIsPublishedOnceAndForgotten() {
		String userId = UUID.randomUUID().toString();
		PendingRegistration ready = PendingRegistration.intent("ready-" + userId.substring(0, 8), "Ready", Instant.now())
			.ready(userId);
		try (KafkaConsumer<String, String> users = usersFromNow()) {
			mongo.insert(ready).block();

			List<ConsumerRecord<String, String>> seen = new ArrayList<>();
			await().atMost(Duration.ofSeconds(20)).until(() -> {
				users.poll(Duration.ofMillis(200)).forEach(record -> {
					if (userId.equals(record.key())) {
						seen.add(record);
					}
				});
				return !seen.isEmpty() && pending(ready.username()) == 0;
			});
			assertThat(seen).singleElement().satisfies(record -> {
				assertThat(record.value()).contains("\"type\":\"user.registered\"", "\"eventId\":\"" + ready.eventId() + "\"",
						"\"username\":\"" + ready.username() + "\"");
			});
		}
	}

	@Test
	void aRegistrationThatCannotBeJudgedWithoutKeycloakIsKept() {
		PendingRegistration stale = PendingRegistration.intent("stale-" + UUID.randomUUID().toString().substring(0, 8),
				"Stale", Instant.now().minus(Duration.ofMinutes(5)));
		mongo.insert(stale).block();

		// Past the grace period the relay asks Keycloak, which does not answer: the pass fails and
		// the registration waits for the next one.
		StepVerifier.create(relay.pass()).expectError().verify(Duration.ofSeconds(30));
		assertThat(pending(stale.username())).isEqualTo(1);
		mongo.remove(new Query(where("_id").is(stale.username())), PendingRegistration.class).block();
	}

	@Test
	void aRegistrationWhileKeycloakIsDownIs503AndStoresNoProfile() {
		String username = "down-" + UUID.randomUUID().toString().substring(0, 8);

		client.post()
			.uri("/api/auth/register")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("username", username, "password", "a-good-password"))
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo("urn:chat:problem:unavailable");

		assertThat(mongo.count(new Query(where("username").is(username)), "users").block()).isZero();
		// Kept for the relay: whether Keycloak created the user before it stopped answering is
		// for Keycloak to say.
		assertThat(pending(username)).isEqualTo(1);
		mongo.remove(new Query(where("_id").is(username)), PendingRegistration.class).block();
	}

	private long pending(String username) {
		return mongo.count(new Query(where("_id").is(username)), PendingRegistration.class).block();
	}

	private KafkaConsumer<String, String> usersFromNow() {
		KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
				new StringDeserializer(), new StringDeserializer());
		List<TopicPartition> partitions = consumer.partitionsFor(Topics.USERS, Duration.ofSeconds(10))
			.stream()
			.map(info -> new TopicPartition(info.topic(), info.partition()))
			.toList();
		consumer.assign(partitions);
		consumer.seekToEnd(partitions);
		partitions.forEach(partition -> consumer.position(partition, Duration.ofSeconds(10)));
		return consumer;
	}

	private static int closedPort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
