package dev.chat.room;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.chat.test.service.ChatServiceTest;
import dev.chat.test.tokens.TokenMinter;

import static dev.chat.test.service.ChatServiceAssertions.awaitReadyWithMongoAndKafka;
import static dev.chat.test.service.ChatServiceAssertions.expectOpenApiDocument;
import static dev.chat.test.service.ChatServiceAssertions.expectOnlyHealthAndPrometheusExposed;
import static dev.chat.test.service.ChatServiceAssertions.expectUnauthorizedProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** room-service as a whole against FerretDB, a real Kafka broker and a token issuer. */
@ChatServiceTest
class RoomServiceApplicationIntegrationTests {

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
		JsonNode document = expectOpenApiDocument(client,
				List.of("/api/rooms", "/api/rooms/{roomId}", "/api/rooms/{roomId}/join", "/api/rooms/{roomId}/leave",
						"/api/rooms/{roomId}/invites", "/api/rooms/{roomId}/owner", "/api/rooms/{roomId}/members"),
				Set.of());
		assertThat(document.at("/paths/~1api~1rooms/post/responses/409/$ref").asString())
			.isEqualTo("#/components/responses/Conflict");
		assertThat(document.at("/components/schemas/CreateRoomRequest/properties/visibility/enum").values())
			.extracting(JsonNode::asString)
			.containsExactly("public", "private");
	}

}
