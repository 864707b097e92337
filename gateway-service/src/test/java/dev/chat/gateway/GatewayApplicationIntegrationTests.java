package dev.chat.gateway;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.chat.test.service.ChatServiceTest;
import dev.chat.test.service.PrometheusScrape;
import dev.chat.test.tokens.TokenMinter;

import static dev.chat.test.service.ChatServiceAssertions.awaitReadyWithMongoAndKafka;
import static dev.chat.test.service.ChatServiceAssertions.expectOnlyHealthAndPrometheusExposed;
import static dev.chat.test.service.ChatServiceAssertions.expectUnauthorizedProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway as a whole against FerretDB, a real Kafka broker and a token issuer, with
 * {@link StubServices} standing in for every service behind it, so that what reaches a service
 * (and what does not) can be seen.
 */
@ChatServiceTest
class GatewayApplicationIntegrationTests {

	private static final StubServices upstream = StubServices.start();

	@Autowired
	private WebTestClient client;

	@Autowired
	private TokenMinter minter;

	@DynamicPropertySource
	static void services(DynamicPropertyRegistry registry) {
		upstream.register(registry);
	}

	@AfterAll
	static void stopUpstream() {
		upstream.close();
	}

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
	void tokenRequestIsRoutedWithoutAToken() {
		client.post()
			.uri("/api/auth/token")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"username\":\"alice\",\"password\":\"secret\"}")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.upstream")
			.isEqualTo("POST /api/auth/token");

		assertThat(upstream.requests()).contains("POST /api/auth/token");
	}

	@Test
	void routedRequestsAreTimedByRouteAndRefusedTokensCounted() {
		PrometheusScrape before = PrometheusScrape.of(client);

		client.post()
			.uri("/api/auth/token")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"username\":\"alice\",\"password\":\"secret\"}")
			.exchange()
			.expectStatus()
			.isOk();
		expectUnauthorizedProblem(client.get()
			.uri("/api/rooms")
			.headers(headers -> headers.setBearerAuth(minter.token("alice", "user") + "x"))
			.exchange());

		PrometheusScrape after = PrometheusScrape.of(client);
		assertThat(after.value("chat_gateway_service_requests_seconds_count", "routeId=\"auth\"")
				- before.value("chat_gateway_service_requests_seconds_count", "routeId=\"auth\"")).isEqualTo(1);
		assertThat(after.value("chat_auth_failures_total", "reason=\"invalid-token\"")
				- before.value("chat_auth_failures_total", "reason=\"invalid-token\"")).isEqualTo(1);
	}

	@Test
	void apiRequestWithoutTokenStopsAtTheGateway() {
		expectUnauthorizedProblem(client.get().uri("/api/rooms").exchange());

		assertThat(upstream.requests()).doesNotContain("GET /api/rooms");
	}

}
