package dev.chat.e2e.presence;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.awaitility.Awaitility;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.chat.stack.Stack;
import dev.chat.test.socket.SocketClient;

/**
 * What the presence end-to-end tests do as client applications: rooms and memberships through
 * the gateway's REST API, sockets subscribed to a room, and the {@code presence} frames those
 * sockets receive.
 */
final class PresenceClient {

	static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private static final Duration WAIT = Duration.ofSeconds(30);

	private final Stack stack;

	PresenceClient(Stack stack) {
		this.stack = stack;
	}

	int gateway() {
		return stack.config().ports().gateway();
	}

	int gateway2() {
		return stack.config().ports().gateway2();
	}

	/** A new public room owned by the token's user, with the other tokens' users as members. */
	String room(String ownerToken, String... memberTokens) {
		JsonNode created = send(ownerToken, "POST", "/api/rooms",
				JSON.createObjectNode().put("name", "presence " + UUID.randomUUID()).put("visibility", "public").toString(),
				201);
		String roomId = created.get("id").asString();
		awaitMembership(ownerToken, roomId);
		for (String member : memberTokens) {
			join(member, roomId);
		}
		return roomId;
	}

	/**
	 * The access token of a newly registered user ({@code POST /api/auth/register}, then
	 * {@code POST /api/auth/token}, through the gateway).
	 */
	String newUser(String prefix) {
		String username = prefix + "-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		String password = username + "-pass";
		send(null, "POST", "/api/auth/register", JSON.createObjectNode()
			.put("username", username)
			.put("password", password)
			.put("email", username + "@example.com")
			.toString(), 201);
		String credentials = JSON.createObjectNode().put("username", username).put("password", password).toString();
		return send(null, "POST", "/api/auth/token", credentials, 200).get("access_token").asString();
	}

	/** The user joins the public room, and the services that check memberships know it. */
	void join(String token, String roomId) {
		send(token, "POST", "/api/rooms/" + roomId + "/join", null, 200);
		awaitMembership(token, roomId);
	}

	/** The user leaves the room ({@code POST /api/rooms/{roomId}/leave}). */
	void leave(String token, String roomId) {
		send(token, "POST", "/api/rooms/" + roomId + "/leave", null, 204);
	}

	/**
	 * Memberships reach message-service (which the gateway asks before a subscription) and
	 * presence-service (which guards the REST endpoint) through {@code chat.rooms}.
	 */
	private void awaitMembership(String token, String roomId) {
		Awaitility.await("membership known to message-service and presence-service")
			.atMost(WAIT)
			.pollInterval(Duration.ofMillis(200))
			.until(() -> status(token, "/api/rooms/" + roomId + "/messages?limit=1") == 200
					&& status(token, "/api/rooms/" + roomId + "/presence") == 200);
	}

	/** {@code GET /api/rooms/{roomId}/presence} through the gateway. */
	JsonNode presence(String token, String roomId) {
		return send(token, "GET", "/api/rooms/" + roomId + "/presence", null, 200);
	}

	/** The user ids the REST endpoint lists as online. */
	List<String> online(String token, String roomId) {
		List<String> users = new ArrayList<>();
		presence(token, roomId).get("users").forEach(user -> users.add(user.get("userId").asString()));
		return users;
	}

	/** A socket on the gateway node at {@code port}, subscribed to the room (confirmed). */
	static SocketClient subscribed(int port, String token, String roomId) {
		SocketClient socket = SocketClient.connect(port, token);
		socket.send("{\"type\":\"subscribe\",\"roomId\":\"" + roomId + "\"}");
		JsonNode answer = socket.next(Duration.ofSeconds(15));
		while (!"subscribed".equals(answer.path("type").asString())) {
			if ("error".equals(answer.path("type").asString())) {
				socket.close();
				throw new AssertionError("subscribe refused: " + answer);
			}
			answer = socket.next(Duration.ofSeconds(15));
		}
		return socket;
	}

	/** Waits for the {@code presence} frame of that user and status, skipping every other frame. */
	static void awaitPresence(SocketClient socket, String userId, String status, Duration timeout) {
		awaitPresence(socket, Set.of(userId), status, timeout);
	}

	/**
	 * Waits until a {@code presence} frame with that status has arrived for each of the users, in
	 * any order (changes of different users are published in no particular order), skipping every
	 * other frame.
	 */
	static void awaitPresence(SocketClient socket, Set<String> userIds, String status, Duration timeout) {
		Set<String> missing = new HashSet<>(userIds);
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!missing.isEmpty()) {
			JsonNode frame = socket.next("presence", Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
			if (status.equals(frame.path("status").asString())) {
				missing.remove(frame.path("userId").asString());
			}
		}
	}

	/** Every {@code presence} frame the socket receives within {@code period}. */
	static List<JsonNode> presenceFramesDuring(SocketClient socket, Duration period) {
		List<JsonNode> frames = new ArrayList<>();
		long deadline = System.nanoTime() + period.toNanos();
		while (System.nanoTime() < deadline) {
			JsonNode frame;
			try {
				frame = socket.next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
			}
			catch (AssertionError quiet) {
				// SocketClient signals "nothing within the time" this way: the period is over.
				break;
			}
			if ("presence".equals(frame.path("type").asString())) {
				frames.add(frame);
			}
		}
		return frames;
	}

	/** The user id in an access token: its {@code sub} claim. */
	static String subjectOf(String token) {
		return JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1])).get("sub").asString();
	}

	private int status(String token, String path) {
		return exchange(token, "GET", path, null).statusCode();
	}

	private JsonNode send(String token, String method, String path, String json, int expected) {
		HttpResponse<String> response = exchange(token, method, path, json);
		if (response.statusCode() != expected) {
			throw new AssertionError(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
		}
		return response.body().isEmpty() ? null : JSON.readTree(response.body());
	}

	private HttpResponse<String> exchange(String token, String method, String path, String json) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway() + path))
			.timeout(Duration.ofSeconds(30))
			.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		if (json != null) {
			request.header("Content-Type", "application/json");
		}
		try {
			return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException(method + " " + path + " failed", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
