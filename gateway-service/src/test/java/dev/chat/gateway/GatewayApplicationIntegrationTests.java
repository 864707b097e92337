package dev.chat.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.chat.test.service.ChatServiceTest;
import dev.chat.test.tokens.TokenMinter;

import static dev.chat.test.service.ChatServiceAssertions.awaitReadyWithMongoAndKafka;
import static dev.chat.test.service.ChatServiceAssertions.expectUnauthorizedProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway as a whole against FerretDB, a real Kafka broker and a token issuer, with one
 * stub on loopback standing in for every service behind it, so that what reaches a service
 * (and what does not) can be seen.
 */
@ChatServiceTest
class GatewayApplicationIntegrationTests {

	private static final Upstream upstream = Upstream.start();

	@Autowired
	private WebTestClient client;

	@Autowired
	private TokenMinter minter;

	@DynamicPropertySource
	static void services(DynamicPropertyRegistry registry) {
		for (String service : List.of("auth", "rooms", "messages", "presence")) {
			registry.add("chat.gateway.services." + service, upstream::uri);
		}
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
		expectUnauthorizedProblem(client.get().uri("/actuator/info").exchange());
	}

	@Test
	void protectedEndpointAnswersAValidToken() {
		client.get()
			.uri("/actuator/info")
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
	void apiRequestWithoutTokenStopsAtTheGateway() {
		expectUnauthorizedProblem(client.get().uri("/api/rooms").exchange());

		assertThat(upstream.requests()).doesNotContain("GET /api/rooms");
	}

	/** Answers every request with its method and path, and remembers them. */
	private record Upstream(HttpServer server, List<String> requests) implements AutoCloseable {

		static Upstream start() {
			try {
				HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
				Upstream upstream = new Upstream(server, new CopyOnWriteArrayList<>());
				server.createContext("/", exchange -> {
					try (exchange) {
						String request = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
						upstream.requests.add(request);
						byte[] body = ("{\"upstream\":\"" + request + "\"}").getBytes(StandardCharsets.UTF_8);
						exchange.getResponseHeaders().set("Content-Type", "application/json");
						exchange.sendResponseHeaders(200, body.length);
						exchange.getResponseBody().write(body);
					}
				});
				server.start();
				return upstream;
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		String uri() {
			return "http://127.0.0.1:" + server.getAddress().getPort();
		}

		@Override
		public void close() {
			server.stop(0);
		}

	}

}
