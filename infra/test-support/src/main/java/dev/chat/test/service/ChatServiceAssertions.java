package dev.chat.test.service;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.awaitility.Awaitility;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.chat.common.error.ErrorTypes;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every service promises at its edge, checked the same way in each service's tests.
 */
public final class ChatServiceAssertions {

	/** Readiness may lag the context by the first Kafka metadata round trip. */
	private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

	/**
	 * Waits until {@code /actuator/health/readiness} answers UP with its {@code mongo} and
	 * {@code kafka} components UP (the readiness group of the chat defaults).
	 */
	public static void awaitReadyWithMongoAndKafka(WebTestClient client) {
		Awaitility.await("readiness UP with mongo and kafka UP")
			.atMost(READY_TIMEOUT)
			.pollInterval(Duration.ofMillis(250))
			.untilAsserted(() -> client.get()
				.uri("/actuator/health/readiness")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.status")
				.isEqualTo("UP")
				.jsonPath("$.components.mongo.status")
				.isEqualTo("UP")
				.jsonPath("$.components.kafka.status")
				.isEqualTo("UP"));
	}

	/**
	 * A refusal for want of a valid token: 401, an RFC 9457 problem of type
	 * {@code urn:chat:problem:unauthorized}, and an RFC 6750 {@code Bearer} challenge.
	 */
	public static void expectUnauthorizedProblem(WebTestClient.ResponseSpec response) {
		response.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectHeader()
			.valueMatches(HttpHeaders.WWW_AUTHENTICATE, "Bearer( .*)?")
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo(ErrorTypes.UNAUTHORIZED.toString())
			.jsonPath("$.status")
			.isEqualTo(401);
	}

	/**
	 * The management surface every service exposes: {@code /actuator/prometheus} without a token,
	 * and no other endpoint than health and prometheus, not even to a holder of a valid token
	 * ({@code info}, {@code env} and {@code beans} answer 404).
	 */
	public static void expectOnlyHealthAndPrometheusExposed(WebTestClient client, String token) {
		PrometheusScrape.of(client);
		awaitTokensAccepted(client, token);
		for (String hidden : List.of("/actuator/info", "/actuator/env", "/actuator/beans", "/actuator/metrics")) {
			client.get()
				.uri(hidden)
				.headers(headers -> headers.setBearerAuth(token))
				.exchange()
				.expectStatus()
				.isNotFound();
		}
	}

	/**
	 * Waits until the service accepts a token ({@code GET /actuator} answers 200). The first token
	 * a context sees makes it fetch the issuer's keys. Seen on the shared 2-core machine: a
	 * context that started (or resumed) right after another test class's context was paused
	 * (Spring's test framework stops a cached context's lifecycle between uses, and with it the
	 * shared Reactor Netty resources that fetch goes through) answered that first request only
	 * after more than 20 s; the fetch is retried here rather than failing whatever test happens to
	 * send the first token.
	 */
	public static void awaitTokensAccepted(WebTestClient client, String token) {
		WebTestClient quick = client.mutate().responseTimeout(Duration.ofSeconds(5)).build();
		Awaitility.await("a token accepted")
			.atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(500))
			.ignoreExceptions()
			.untilAsserted(() -> quick.get()
				.uri("/actuator")
				.headers(headers -> headers.setBearerAuth(token))
				.exchange()
				.expectStatus()
				.isOk());
	}

	/**
	 * {@code GET /v3/api-docs} without a token: an OpenAPI 3.1 document with the platform's
	 * security schemes and {@code Problem} schema, an operation on each of {@code paths}, and on
	 * every operation the error responses all share (401 unless the path is one of
	 * {@code publicPaths}, 500). Returned for the service's own checks.
	 */
	public static JsonNode expectOpenApiDocument(WebTestClient client, List<String> paths, Set<String> publicPaths) {
		byte[] body = client.get()
			.uri("/v3/api-docs")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
			.expectBody()
			.returnResult()
			.getResponseBody();
		JsonNode document = JsonMapper.builder().build().readTree(body);
		assertThat(document.path("openapi").asString()).startsWith("3.1.");
		assertThat(document.path("components").path("securitySchemes").propertyNames()).contains("bearer",
				"keycloak");
		assertThat(document.path("components").path("schemas").has("Problem")).isTrue();
		assertThat(document.path("paths").propertyNames()).containsAll(paths);
		document.path("paths").properties().forEach(path -> path.getValue().properties().forEach(operation -> {
			JsonNode responses = operation.getValue().path("responses");
			String where = operation.getKey() + " " + path.getKey();
			assertThat(responses.has("500")).as(where + " documents 500").isTrue();
			if (!publicPaths.contains(path.getKey())) {
				assertThat(responses.path("401").path("$ref").asString()).as(where + " documents 401")
					.isEqualTo("#/components/responses/Unauthorized");
			}
		}));
		return document;
	}

	private ChatServiceAssertions() {
	}

}
