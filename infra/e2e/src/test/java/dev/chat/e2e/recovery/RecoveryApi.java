package dev.chat.e2e.recovery;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
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

/** The REST calls these tests make, through a gateway node with the demo users' real tokens. */
final class RecoveryApi {

	static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient HTTP = HttpClient.newBuilder()
		.connectTimeout(Duration.ofSeconds(2))
		.version(HttpClient.Version.HTTP_1_1)
		.build();

	private final String baseUrl;

	private final Keycloak keycloak;

	/** Keycloak's access tokens live five minutes, longer than this test class runs. */
	private final Map<String, String> tokens = new ConcurrentHashMap<>();

	RecoveryApi(int gatewayPort, Keycloak keycloak) {
		this.baseUrl = "http://127.0.0.1:" + gatewayPort;
		this.keycloak = keycloak;
	}

	String token(String user) {
		return tokens.computeIfAbsent(user, keycloak::accessToken);
	}

	String userId(String user) {
		String payload = token(user).split("\\.")[1];
		return JSON.readTree(Base64.getUrlDecoder().decode(payload)).path("sub").asString();
	}

	/** A public room of {@code owner} joined by {@code members}, once message-service lets each read it. */
	String createRoom(String owner, List<String> members) {
		JsonNode created = call(owner, "POST", "/api/rooms",
				"{\"name\":\"e2e-recovery-" + UUID.randomUUID() + "\",\"visibility\":\"public\"}", 201);
		String roomId = created.path("id").asString();
		for (String member : members) {
			call(member, "POST", "/api/rooms/" + roomId + "/join", null, 200);
		}
		List<String> everyone = new ArrayList<>(members);
		everyone.add(owner);
		for (String user : everyone) {
			Awaitility.await(user + " may read " + roomId + " at message-service")
				.atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(100))
				.ignoreExceptions()
				.until(() -> call(user, "GET", "/api/rooms/" + roomId + "/messages?limit=1", null, 200) != null);
		}
		return roomId;
	}

	/** Every message of the room, oldest first. */
	List<JsonNode> history(String user, String roomId) {
		List<JsonNode> messages = new ArrayList<>();
		long after = 0;
		while (true) {
			JsonNode page = call(user, "GET", "/api/rooms/" + roomId + "/messages?limit=200&afterSeq=" + after, null,
					200);
			page.path("messages").forEach(messages::add);
			if (!page.path("hasMore").asBoolean() || messages.isEmpty()) {
				return messages;
			}
			after = messages.getLast().path("seq").asLong();
		}
	}

	private JsonNode call(String user, String method, String path, String body, int expected) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
			.timeout(Duration.ofSeconds(10))
			.header("Authorization", "Bearer " + token(user));
		if (body != null) {
			request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
		}
		else {
			request.method(method, HttpRequest.BodyPublishers.noBody());
		}
		try {
			HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != expected) {
				throw new IllegalStateException(method + " " + path + " as " + user + ": " + response.statusCode() + " "
						+ response.body());
			}
			return response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
		}
		catch (IOException ex) {
			throw new IllegalStateException(method + " " + path + ": " + ex, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
