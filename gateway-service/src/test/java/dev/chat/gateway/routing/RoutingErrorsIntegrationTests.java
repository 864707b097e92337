package dev.chat.gateway.routing;

import java.io.IOException;
import java.net.ServerSocket;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.chat.gateway.StubServices;
import dev.chat.test.service.ChatServiceTest;
import dev.chat.test.tokens.TokenMinter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The errors the gateway raises itself, before or instead of a service's answer: each is
 * problem+json of the platform's types, and none names a class, a host or a port behind it.
 */
@ChatServiceTest
class RoutingErrorsIntegrationTests {

	private static final StubServices upstream = StubServices.start();

	private static final int CLOSED_PORT = closedPort();

	@Autowired
	private WebTestClient client;

	@Autowired
	private TokenMinter minter;

	@DynamicPropertySource
	static void services(DynamicPropertyRegistry registry) {
		upstream.register(registry);
		// presence-service is down: nothing listens on its port.
		registry.add("chat.gateway.services.presence", () -> "http://127.0.0.1:" + CLOSED_PORT);
	}

	@AfterAll
	static void stopUpstream() {
		upstream.close();
	}

	@Test
	void aServiceThatIsDownIs503WithRetryAfter() {
		String body = client.get()
			.uri("/api/rooms/r1/presence")
			.headers(h -> h.setBearerAuth(minter.token("alice", "user")))
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectHeader()
			.valueEquals("Retry-After", "1")
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();

		assertThat(body).contains("\"type\":\"urn:chat:problem:unavailable\"", "\"status\":503",
				"\"instance\":\"/api/rooms/r1/presence\"", "\"traceId\":");
		assertThat(body).doesNotContain(String.valueOf(CLOSED_PORT), "127.0.0.1", "Exception", "netty");
	}

	@Test
	void aPathNoRouteServesIs404() {
		String body = client.get()
			.uri("/api/nothing-here")
			.headers(h -> h.setBearerAuth(minter.token("alice", "user")))
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();

		assertThat(body).contains("\"type\":\"urn:chat:problem:not-found\"", "\"status\":404", "\"traceId\":");
		assertThat(upstream.requests()).doesNotContain("GET /api/nothing-here");
	}

	@Test
	void aWrongMethodIs405() {
		client.delete()
			.uri("/actuator/health")
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.METHOD_NOT_ALLOWED)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo("urn:chat:problem:method-not-allowed");
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
