package dev.chat.message;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.chat.test.tokens.TokenMinter;

import static dev.chat.test.service.ChatServiceAssertions.awaitReadyWithMongoAndKafka;
import static dev.chat.test.service.ChatServiceAssertions.expectOpenApiDocument;
import static dev.chat.test.service.ChatServiceAssertions.expectOnlyHealthAndPrometheusExposed;
import static dev.chat.test.service.ChatServiceAssertions.expectUnauthorizedProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** message-service as a whole against FerretDB, a real Kafka broker and a token issuer. */
@MessageServiceTest
class MessageServiceApplicationIntegrationTests {

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
		JsonNode document = expectOpenApiDocument(client, List.of("/api/rooms/{roomId}/messages",
				"/api/rooms/{roomId}/messages/{messageId}", "/api/rooms/{roomId}/events"), Set.of());
		assertThat(document.at("/paths/~1api~1rooms~1{roomId}~1messages/post/responses").propertyNames())
			.contains("202", "400", "401", "403", "404", "503");
		assertThat(document.at("/components/schemas/Send/properties/clientMsgId/example").asString())
			.isEqualTo("c-7f3a9e");
	}
}
