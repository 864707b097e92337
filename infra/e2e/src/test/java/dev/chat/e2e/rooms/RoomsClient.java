package dev.chat.e2e.rooms;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The room API through the gateway, as a client application calls it: JSON over HTTP with a
 * bearer token.
 */
final class RoomsClient {

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	static final JsonMapper JSON = JsonMapper.builder().build();

	private final String base;

	RoomsClient(int gatewayPort) {
		this.base = "http://127.0.0.1:" + gatewayPort;
	}

	/** An answer: status, content type and body (null when empty). */
	record Answer(int status, String contentType, String location, JsonNode body) {

		boolean isProblem() {
			return contentType != null && contentType.startsWith("application/problem+json");
		}

		String id() {
			return body.get("id").asString();
		}

	}

	Answer create(String token, String name, String visibility) {
		return post(token, "/api/rooms",
				JSON.createObjectNode().put("name", name).put("visibility", visibility).toString());
	}

	Answer join(String token, String roomId) {
		return post(token, "/api/rooms/" + roomId + "/join", null);
	}

	Answer leave(String token, String roomId) {
		return post(token, "/api/rooms/" + roomId + "/leave", null);
	}

	Answer invite(String token, String roomId, String userId) {
		return post(token, "/api/rooms/" + roomId + "/invites", JSON.createObjectNode().put("userId", userId).toString());
	}

	Answer handOver(String token, String roomId, String userId) {
		return post(token, "/api/rooms/" + roomId + "/owner", JSON.createObjectNode().put("userId", userId).toString());
	}

	Answer room(String token, String roomId) {
		return get(token, "/api/rooms/" + roomId);
	}

	/** {@code GET /api/rooms} with the given parameters (null values left out), encoded here. */
	Answer list(String token, String q, Boolean mine, Integer limit, String cursor) {
		StringBuilder query = new StringBuilder();
		append(query, "q", q);
		append(query, "mine", mine == null ? null : mine.toString());
		append(query, "limit", limit == null ? null : limit.toString());
		append(query, "cursor", cursor);
		return get(token, "/api/rooms" + (query.isEmpty() ? "" : "?" + query));
	}

	Answer members(String token, String roomId, Integer limit, String cursor) {
		StringBuilder query = new StringBuilder();
		append(query, "limit", limit == null ? null : limit.toString());
		append(query, "cursor", cursor);
		return get(token, "/api/rooms/" + roomId + "/members" + (query.isEmpty() ? "" : "?" + query));
	}

	Answer get(String token, String path) {
		return send(request(token, path).GET());
	}

	Answer post(String token, String path, String json) {
		HttpRequest.Builder request = request(token, path);
		if (json == null) {
			return send(request.POST(HttpRequest.BodyPublishers.noBody()));
		}
		return send(request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
	}

	/** The user id in an access token: its {@code sub} claim. */
	static String subjectOf(String token) {
		return JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1])).get("sub").asString();
	}

	private HttpRequest.Builder request(String token, String path) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		return request;
	}

	private static Answer send(HttpRequest.Builder request) {
		try {
			HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
			String body = response.body();
			return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null),
					response.headers().firstValue("Location").orElse(null),
					body == null || body.isEmpty() ? null : JSON.readTree(body));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static void append(StringBuilder query, String name, String value) {
		if (value == null) {
			return;
		}
		if (!query.isEmpty()) {
			query.append('&');
		}
		query.append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20"));
	}

}
