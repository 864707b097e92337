package dev.chat.e2e.messages;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.awaitility.Awaitility;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.chat.e2e.support.Keycloak;

/**
 * The REST API as a client of the platform uses it: through a gateway node, with the demo
 * users' real Keycloak tokens (renewed before they expire).
 */
final class ChatApi {

	static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient HTTP = HttpClient.newBuilder()
		.connectTimeout(Duration.ofSeconds(2))
		.version(HttpClient.Version.HTTP_1_1)
		.build();

	/** Keycloak's access tokens live five minutes; a new one is fetched after one. */
	private static final Duration TOKEN_REUSE = Duration.ofMinutes(1);

	private record Token(String value, Instant fetched) {
	}

	/** A response: the status and the body, parsed when it is JSON. */
	record Response(int status, JsonNode body) {
	}

	private final String baseUrl;

	private final Keycloak keycloak;

	private final Map<String, Token> tokens = new ConcurrentHashMap<>();

	ChatApi(int port, Keycloak keycloak) {
		this.baseUrl = "http://127.0.0.1:" + port;
		this.keycloak = keycloak;
	}

	String token(String user) {
		return tokens.compute(user, (name, token) -> token != null
				&& token.fetched().plus(TOKEN_REUSE).isAfter(Instant.now()) ? token
						: new Token(keycloak.accessToken(name), Instant.now()))
			.value();
	}

	/** The user's id, the {@code sub} of their tokens. */
	String userId(String user) {
		String payload = token(user).split("\\.")[1];
		return JSON.readTree(Base64.getUrlDecoder().decode(payload)).path("sub").asString();
	}

	Response get(String user, String path) {
		return send(user, "GET", path, null);
	}

	Response post(String user, String path, Object body) {
		return send(user, "POST", path, body);
	}

	Response patch(String user, String path, Object body) {
		return send(user, "PATCH", path, body);
	}

	Response delete(String user, String path) {
		return send(user, "DELETE", path, null);
	}

	/**
	 * A room owned by {@code owner} with {@code members}, created and joined through room-service,
	 * returned once message-service's projection lets every one of them read it.
	 */
	String createRoom(String owner, String... members) {
		Response created = post(owner, "/api/rooms",
				Map.of("name", "e2e-messages-" + UUID.randomUUID(), "visibility", "public"));
		if (created.status() != 201) {
			throw new IllegalStateException("cannot create a room: " + created);
		}
		String roomId = created.body().path("id").asString();
		for (String member : members) {
			Response joined = post(member, "/api/rooms/" + roomId + "/join", null);
			if (joined.status() != 200) {
				throw new IllegalStateException(member + " cannot join " + roomId + ": " + joined);
			}
		}
		List<String> everyone = new ArrayList<>(List.of(members));
		everyone.add(owner);
		for (String user : everyone) {
			Awaitility.await(user + " may read " + roomId + " at message-service")
				.atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(100))
				.until(() -> get(user, "/api/rooms/" + roomId + "/messages?limit=1").status() == 200);
		}
		return roomId;
	}

	/** Every message of the room, oldest first, read forwards page by page. */
	List<JsonNode> history(String user, String roomId) {
		List<JsonNode> messages = new ArrayList<>();
		long after = 0;
		while (true) {
			Response page = get(user, "/api/rooms/" + roomId + "/messages?limit=200&afterSeq=" + after);
			if (page.status() != 200) {
				throw new IllegalStateException("history of " + roomId + ": " + page);
			}
			page.body().path("messages").forEach(messages::add);
			if (!page.body().path("hasMore").asBoolean()) {
				return messages;
			}
			after = messages.getLast().path("seq").asLong();
		}
	}

	/** A GET whose body is read and dropped: for timing the server, not the client's parsing. */
	int fetch(String user, String path) {
		HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
			.timeout(Duration.ofSeconds(10))
			.header("Authorization", "Bearer " + token(user))
			.GET()
			.build();
		try {
			return HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray()).statusCode();
		}
		catch (IOException ex) {
			return -1;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private Response send(String user, String method, String path, Object body) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
			.timeout(Duration.ofSeconds(10))
			.header("Authorization", "Bearer " + token(user));
		if (body != null) {
			request.header("Content-Type", "application/json")
				.method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
		}
		else {
			request.method(method, HttpRequest.BodyPublishers.noBody());
		}
		try {
			HttpResponse<String> response = HTTP.send(request.build(),
					HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
			String text = response.body();
			JsonNode json = text == null || text.isBlank() || !text.strip().startsWith("{") ? null
					: JSON.readTree(text);
			return new Response(response.statusCode(), json);
		}
		catch (IOException ex) {
			// No answer at all (the service is down, the connection was cut): like a 503 to a client.
			return new Response(-1, null);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
