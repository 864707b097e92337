package dev.chat.presence;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.chat.test.service.ChatServiceTest;
import dev.chat.test.service.PrometheusScrape;
import dev.chat.test.tokens.TokenMinter;

import static dev.chat.test.service.ChatServiceAssertions.awaitReadyWithMongoAndKafka;
import static dev.chat.test.service.ChatServiceAssertions.expectOpenApiDocument;
import static dev.chat.test.service.ChatServiceAssertions.expectOnlyHealthAndPrometheusExposed;
import static dev.chat.test.service.ChatServiceAssertions.expectUnauthorizedProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * presence-service as a whole against FerretDB, a real Kafka broker and a token issuer. Its
 * context is closed after the class, as every other here: a cached one would go on reading the
 * shared broker's signals and publish presence of its own into the rooms of later tests.
 */
@ChatServiceTest
@DirtiesContext
class PresenceServiceApplicationIntegrationTests {

	@Autowired
	private WebTestClient client;

	@Autowired
	private TokenMinter minter;

	@Test
	void isReadyWithMongoAndKafkaUp() {
		awaitReadyWithMongoAndKafka(client);
	}

	@Test
	void protectedEndpointRefusesARequestWithoutToken() {
		expectUnauthorizedProblem(client.get().uri("/actuator").exchange());
	}

	@Test
	void exposesOnlyHealthAndPrometheus() {
		expectOnlyHealthAndPrometheusExposed(client, minter.token("alice", "user"));
	}

	@Test
	void theHeartbeatWatchersConsumerLagIsScraped() {
		Awaitility.await("the heartbeat watcher's Kafka metrics")
			.atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(PrometheusScrape.of(client).toString())
				.contains("kafka_consumer_fetch_manager_records_lag_max{")
				.contains("client_id=\"presence-heartbeat-watcher\""));
	}

	@Test
	void protectedEndpointAnswersAValidToken() {
		client.get()
			.uri("/actuator")
			.headers(headers -> headers.setBearerAuth(minter.token("alice", "user")))
			.exchange()
			.expectStatus()
			.isOk();
	}

	@Test
	void servesItsOpenApiDocumentWithoutAToken() {
		JsonNode document = expectOpenApiDocument(client, List.of("/api/rooms/{roomId}/presence"), Set.of());
		assertThat(document.at("/paths/~1api~1rooms~1{roomId}~1presence/get/responses/403/$ref").asString())
			.isEqualTo("#/components/responses/Forbidden");
	}
}
