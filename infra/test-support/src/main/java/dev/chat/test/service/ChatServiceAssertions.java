package dev.chat.test.service;

import java.time.Duration;

import org.awaitility.Awaitility;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.chat.common.error.ErrorTypes;

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

	private ChatServiceAssertions() {
	}

}
