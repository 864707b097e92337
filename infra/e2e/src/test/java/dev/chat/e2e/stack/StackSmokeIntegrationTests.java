package dev.chat.e2e.stack;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.chat.common.kafka.Topics;
import dev.chat.e2e.support.Keycloak;
import dev.chat.e2e.support.TestStackExtension;
import dev.chat.stack.Component;
import dev.chat.stack.Stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The stack as {@code ./chat up} starts it: every process up, every service ready on Kafka and
 * Mongo, real tokens accepted, and both data paths working end to end.
 */
@ExtendWith(TestStackExtension.class)
class StackSmokeIntegrationTests {

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private static final JsonMapper JSON = JsonMapper.builder().build();


	@Test
	void everyComponentIsRunningAndReady(Stack stack) {
		for (Component component : stack.components()) {
			assertThat(component.isRunning()).as(component.name() + " running").isTrue();
			assertThat(component.isReady()).as(component.name() + " ready").isTrue();
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "auth-service", "room-service", "message-service", "presence-service", "gateway",
			"gateway-2" })
	void everyServiceIsReadyOnKafkaAndMongo(String service, Stack stack) throws Exception {
		HttpResponse<String> response = get(baseUrl(stack, service) + "/actuator/health/readiness", null);

		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode health = JSON.readTree(response.body());
		assertThat(health.path("status").asString()).isEqualTo("UP");
		assertThat(health.path("components").path("kafka").path("status").asString()).isEqualTo("UP");
		assertThat(health.path("components").path("mongo").path("status").asString()).isEqualTo("UP");
	}

	@Test
	void keycloakIssuesAccessTokensForTheChatApi(Keycloak keycloak, Stack stack) throws Exception {
		String token = keycloak.accessToken("alice");

		JsonNode claims = JSON.readTree(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]));
		assertThat(claims.path("iss").asString()).isEqualTo(stack.config().issuerUri());
		assertThat(claims.path("preferred_username").asString()).isEqualTo("alice");
		assertThat(claims.path("aud").toString()).contains("chat-api");
		assertThat(claims.path("realm_access").path("roles").toString()).contains("user");
	}

	@ParameterizedTest
	@ValueSource(strings = { "auth-service", "room-service", "message-service", "presence-service", "gateway",
			"gateway-2" })
	void protectedEndpointsAnswer401WithoutATokenAnd200WithOne(String service, Stack stack, Keycloak keycloak)
			throws Exception {
		// The actuator's discovery page: not open (info and the rest are not exposed at all).
		String url = baseUrl(stack, service) + "/actuator";

		HttpResponse<String> anonymous = get(url, null);
		assertThat(anonymous.statusCode()).isEqualTo(401);
		assertThat(anonymous.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
				challenge -> assertThat(challenge).startsWith("Bearer"));

		HttpResponse<String> forged = get(url, keycloak.accessToken("bob") + "x");
		assertThat(forged.statusCode()).isEqualTo(401);

		assertThat(get(url, keycloak.accessToken("bob")).statusCode()).isEqualTo(200);
	}

	@ParameterizedTest
	@ValueSource(strings = { "auth-service", "room-service", "message-service", "presence-service", "gateway",
			"gateway-2" })
	void everyProcessIsScrapedOnItsOwnPortWithoutAToken(String service, Stack stack) throws Exception {
		HttpResponse<String> scrape = get(baseUrl(stack, service) + "/actuator/prometheus", null);

		assertThat(scrape.statusCode()).isEqualTo(200);
		// The readiness probes the launcher polled ran Mongo commands; every service counts refused tokens.
		assertThat(scrape.body()).contains("jvm_memory_used_bytes", "mongodb_driver_commands_seconds_count",
				"chat_auth_failures_total{");
		if (!service.equals("auth-service") && !service.equals("room-service")) {
			assertThat(scrape.body()).as("a consuming service's lag").contains("kafka_consumer_fetch_manager_records_lag_max{");
		}
	}

	@Test
	void prometheusScrapesEveryServiceProcessOfTheStack(Stack stack) throws Exception {
		Component prometheus = stack.prometheus();
		boolean ours = !prometheus.isRunning();
		if (ours) {
			stack.start(prometheus);
		}
		try {
			String targets = "http://127.0.0.1:" + stack.config().ports().prometheus() + "/api/v1/targets?state=active";
			await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
				JsonNode active = JSON.readTree(get(targets, null).body()).path("data").path("activeTargets");
				List<String> up = new ArrayList<>();
				for (JsonNode target : active) {
					if ("up".equals(target.path("health").asString())
							&& !"prometheus".equals(target.path("labels").path("job").asString())) {
						up.add(target.path("labels").path("process").asString());
					}
				}
				assertThat(up).as("processes Prometheus scrapes successfully")
					.contains("auth-service", "room-service", "message-service", "presence-service", "gateway",
							"gateway-2");
			});
		}
		finally {
			if (ours) {
				prometheus.stop();
			}
		}
	}

	@Test
	void thePublicEntryRoutesNoActuatorPath(Stack stack, Keycloak keycloak) throws Exception {
		String entry = "http://127.0.0.1:" + stack.config().ports().entry();
		for (String path : List.of("/actuator/prometheus", "/actuator/health", "/actuator")) {
			assertThat(get(entry + path, keycloak.accessToken("alice")).statusCode()).as(path).isEqualTo(404);
		}
	}

	@Test
	void aRecordProducedToATopicIsConsumed(Stack stack) throws Exception {
		String key = "smoke-" + UUID.randomUUID();
		Map<String, Object> producerProps = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
				stack.config().kafkaBootstrap(), ProducerConfig.ACKS_CONFIG, "all");
		RecordMetadata written;
		try (var producer = new KafkaProducer<>(producerProps, new StringSerializer(), new StringSerializer())) {
			written = producer.send(new ProducerRecord<>(Topics.USERS, key, "{\"smoke\":true}"))
				.get(10, TimeUnit.SECONDS);
		}

		Map<String, Object> consumerProps = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
				stack.config().kafkaBootstrap(), ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		try (var consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(), new StringDeserializer())) {
			TopicPartition partition = new TopicPartition(written.topic(), written.partition());
			consumer.assign(List.of(partition));
			consumer.seek(partition, written.offset());
			await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
				List<ConsumerRecord<String, String>> records = consumer.poll(Duration.ofMillis(500))
					.records(partition);
				assertThat(records).anySatisfy(r -> {
					assertThat(r.key()).isEqualTo(key);
					assertThat(r.value()).isEqualTo("{\"smoke\":true}");
				});
			});
		}
	}

	@Test
	void aDocumentWrittenThroughTheMongoDriverIsReadBack(Stack stack) {
		String id = "smoke-" + UUID.randomUUID();
		try (MongoClient client = MongoClients.create(stack.config().mongoUri("e2e_smoke"))) {
			MongoCollection<Document> collection = client.getDatabase("e2e_smoke").getCollection("smoke");
			collection.insertOne(new Document("_id", id).append("body", "hello"));

			Document read = collection.find(Filters.eq("_id", id)).first();

			assertThat(read).isNotNull();
			assertThat(read.getString("body")).isEqualTo("hello");
		}
	}

	private static String baseUrl(Stack stack, String service) {
		var ports = stack.config().ports();
		int port = switch (service) {
			case "auth-service" -> ports.auth();
			case "room-service" -> ports.room();
			case "message-service" -> ports.message();
			case "presence-service" -> ports.presence();
			case "gateway" -> ports.gateway();
			case "gateway-2" -> ports.gateway2();
			default -> throw new IllegalArgumentException(service);
		};
		return "http://127.0.0.1:" + port;
	}

	static HttpResponse<String> get(String url, String token) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET();
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
