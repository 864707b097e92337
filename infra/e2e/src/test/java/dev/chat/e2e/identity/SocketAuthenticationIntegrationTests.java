package dev.chat.e2e.identity;

import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import dev.chat.e2e.support.ForgedTokens;
import dev.chat.e2e.support.Keycloak;
import dev.chat.test.socket.SocketClient;
import dev.chat.e2e.support.TestStackExtension;
import dev.chat.stack.Stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * The WebSocket handshake and the life of a socket's token, with real Keycloak tokens: no valid
 * token, no upgrade; an expiring token is announced, and the socket closes with 4401 unless the
 * client sends a fresh one.
 */
@ExtendWith(TestStackExtension.class)
class SocketAuthenticationIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@Test
	void aHandshakeWithoutATokenIsRefusedWith401(Stack stack) {
		assertHandshakeRefused(() -> SocketClient.connect(stack.config().ports().gateway(), null));
	}

	@Test
	void everyForgedTokenIsRefusedAtTheHandshakeInTheHeaderAndTheQuery(Stack stack, Keycloak keycloak)
			throws Exception {
		Map<String, String> forged = ForgedTokens.of(keycloak.accessToken("alice"), stack.config().issuerUri());
		int port = stack.config().ports().gateway();
		forged.forEach((attack, token) -> {
			assertHandshakeRefused(() -> SocketClient.connect(port, token));
			assertHandshakeRefused(() -> SocketClient.connectWithQueryToken(port, token));
		});
		assertThat(forged).hasSizeGreaterThanOrEqualTo(11);
	}

	@Test
	void aValidTokenOpensTheSocketOnEveryNodeInTheHeaderOrTheQuery(Stack stack, Keycloak keycloak) {
		String token = keycloak.accessToken("alice");
		for (int port : new int[] { stack.config().ports().gateway(), stack.config().ports().gateway2() }) {
			try (SocketClient header = SocketClient.connect(port, token);
					SocketClient query = SocketClient.connectWithQueryToken(port, token)) {
				header.send("{\"type\":\"ping\"}");
				query.send("{\"type\":\"ping\"}");
				assertThat(header.next("pong", WAIT)).isNotNull();
				assertThat(query.next("pong", WAIT)).isNotNull();
			}
		}
	}

	@Test
	void aSocketWhoseTokenExpiresIsWarnedThenClosedWith4401(Stack stack, Keycloak keycloak) throws Exception {
		String client = keycloak.shortLivedClient(5);
		String token = keycloak.tokens(client, reverse(client), "bob", "bob-pass").get("access_token").asString();

		try (SocketClient socket = SocketClient.connect(stack.config().ports().gateway(), token)) {
			JsonNode warning = socket.next("error", Duration.ofSeconds(20));
			assertThat(warning.path("code").asString()).isEqualTo("token_expired");
			assertThat(socket.closeCode().get(20, TimeUnit.SECONDS)).isEqualTo(4401);
		}
	}

	@Test
	void aFreshTokenSentOverTheSocketKeepsItOpen(Stack stack, Keycloak keycloak) throws Exception {
		String client = keycloak.shortLivedClient(5);
		String token = keycloak.tokens(client, reverse(client), "bob", "bob-pass").get("access_token").asString();

		try (SocketClient socket = SocketClient.connect(stack.config().ports().gateway(), token)) {
			assertThat(socket.next("error", Duration.ofSeconds(20)).path("code").asString()).isEqualTo("token_expired");
			socket.send("{\"type\":\"auth\",\"token\":\"" + keycloak.accessToken("bob") + "\"}");

			// Past the grace period the socket still answers, and was not closed.
			socket.send("{\"type\":\"ping\"}");
			assertThat(socket.next("pong", WAIT)).isNotNull();
			assertThat(socket.closeCode()).isNotCompleted();
			org.awaitility.Awaitility.await()
				.during(Duration.ofSeconds(7))
				.atMost(Duration.ofSeconds(9))
				.until(socket::isOpen);
			socket.send("{\"type\":\"ping\"}");
			assertThat(socket.next("pong", WAIT)).isNotNull();
		}
	}

	@Test
	void anotherUsersTokenDoesNotRenewTheSocket(Stack stack, Keycloak keycloak) throws Exception {
		String client = keycloak.shortLivedClient(5);
		String token = keycloak.tokens(client, reverse(client), "bob", "bob-pass").get("access_token").asString();

		try (SocketClient socket = SocketClient.connect(stack.config().ports().gateway(), token)) {
			socket.send("{\"type\":\"auth\",\"token\":\"" + keycloak.accessToken("alice") + "\"}");
			assertThat(socket.next("error", WAIT).path("code").asString()).isEqualTo("invalid_token");
			assertThat(socket.closeCode().get(30, TimeUnit.SECONDS)).isEqualTo(4401);
		}
	}

	@Test
	void loggingOutClosesTheSocketsOfThatSession(Stack stack) throws Exception {
		int gateway = stack.config().ports().gateway();
		JsonNode session = post(gateway, "/api/auth/token", "{\"username\":\"carol\",\"password\":\"carol-pass\"}");
		JsonNode otherSession = post(gateway, "/api/auth/token",
				"{\"username\":\"carol\",\"password\":\"carol-pass\"}");

		try (SocketClient loggedOut = SocketClient.connect(gateway, session.get("access_token").asString());
				SocketClient onOtherNode = SocketClient.connect(stack.config().ports().gateway2(),
						session.get("access_token").asString());
				SocketClient otherDevice = SocketClient.connect(gateway, otherSession.get("access_token").asString())) {
			post(gateway, "/api/auth/logout", "{\"refresh_token\":\"" + session.get("refresh_token").asString() + "\"}");

			assertThat(loggedOut.closeCode().get(15, TimeUnit.SECONDS)).isEqualTo(4403);
			assertThat(onOtherNode.closeCode().get(15, TimeUnit.SECONDS)).isEqualTo(4403);
			otherDevice.send("{\"type\":\"ping\"}");
			assertThat(otherDevice.next("pong", WAIT)).isNotNull();
		}
	}

	private static JsonNode post(int port, String path, String json) throws Exception {
		var response = java.net.http.HttpClient.newHttpClient()
			.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + path))
				.header("Content-Type", "application/json")
				.POST(java.net.http.HttpRequest.BodyPublishers.ofString(json))
				.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(path + " " + response.body()).isBetween(200, 204);
		return response.body().isEmpty() ? null
				: tools.jackson.databind.json.JsonMapper.builder().build().readTree(response.body());
	}

	private static void assertHandshakeRefused(ThrowingSupplier connect) {
		assertThatThrownBy(() -> {
			try (SocketClient unexpected = connect.get()) {
				fail("the handshake was accepted");
			}
		}).isInstanceOf(CompletionException.class)
			.cause()
			.isInstanceOfSatisfying(WebSocketHandshakeException.class,
					ex -> assertThat(ex.getResponse().statusCode()).isEqualTo(401));
	}

	private static String reverse(String text) {
		return new StringBuilder(text).reverse().toString();
	}

	@FunctionalInterface
	interface ThrowingSupplier {

		SocketClient get() throws Exception;

	}

}
