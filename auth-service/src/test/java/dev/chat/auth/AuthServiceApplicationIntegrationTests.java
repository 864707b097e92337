package dev.chat.auth;

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

/** auth-service as a whole against FerretDB, a real Kafka broker and a token issuer. */
@ChatServiceTest
class AuthServiceApplicationIntegrationTests {

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
		Set<String> open = Set.of("/api/auth/register", "/api/auth/token", "/api/auth/refresh", "/api/auth/logout");
		JsonNode document = expectOpenApiDocument(client,
				List.of("/api/auth/register", "/api/auth/token", "/api/auth/refresh", "/api/auth/logout",
						"/api/users/me", "/api/users/{userId}", "/api/users"),
				open);
		assertThat(document.at("/paths/~1api~1auth~1token/post/security").isEmpty()).as("token needs no token")
			.isTrue();
		assertThat(document.at("/paths/~1api~1auth~1token/post/responses/429/$ref").asString())
			.isEqualTo("#/components/responses/TooManyRequests");
	}
}
