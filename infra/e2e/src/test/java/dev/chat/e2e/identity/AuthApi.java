package dev.chat.e2e.identity;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.chat.stack.Stack;

/**
 * The identity REST API as a client sees it: every call goes through the gateway, like an
 * application's would.
 */
final class AuthApi {

	static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final String gateway;

	AuthApi(Stack stack) {
		this.gateway = "http://127.0.0.1:" + stack.config().ports().gateway();
	}

	/** A username no earlier run used: the kept test stack remembers every registration. */
	static String uniqueUsername(String prefix) {
		return prefix + "-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
	}

	HttpResponse<String> register(String username, String password, String email, String displayName) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("username", username);
		body.put("password", password);
		if (email != null) {
			body.put("email", email);
		}
		if (displayName != null) {
			body.put("displayName", displayName);
		}
		return registerRaw(JSON.writeValueAsString(body));
	}

	HttpResponse<String> registerRaw(String json) {
		return post("/api/auth/register", json);
	}

	/** Registers a user and returns the 201's body; fails the test on any other answer. */
	JsonNode registered(String username, String password) {
		HttpResponse<String> response = register(username, password, username + "@example.com", null);
		if (response.statusCode() != 201) {
			throw new AssertionError("registration of " + username + " failed: " + response.statusCode() + " "
					+ response.body());
		}
		return json(response);
	}

	HttpResponse<String> token(String username, String password) {
		return post("/api/auth/token", JSON.writeValueAsString(Map.of("username", username, "password", password)));
	}

	/** The token response for valid credentials; fails the test on any other answer. */
	JsonNode tokens(String username, String password) {
		HttpResponse<String> response = token(username, password);
		if (response.statusCode() != 200) {
			throw new AssertionError("login of " + username + " failed: " + response.statusCode() + " " + response.body());
		}
		return json(response);
	}

	HttpResponse<String> refresh(String refreshToken) {
		return post("/api/auth/refresh", JSON.writeValueAsString(Map.of("refresh_token", refreshToken)));
	}

	HttpResponse<String> logout(String refreshToken) {
		return post("/api/auth/logout", JSON.writeValueAsString(Map.of("refresh_token", refreshToken)));
	}

	HttpResponse<String> me(String accessToken) {
		return get("/api/users/me", accessToken);
	}

	HttpResponse<String> user(String userId, String accessToken) {
		return get("/api/users/" + userId, accessToken);
	}

	static JsonNode json(HttpResponse<String> response) {
		return JSON.readTree(response.body());
	}

	/** The claims of a JWT, read without checking it (the services check it). */
	/** The problem document of a response but its {@code traceId}, which differs per request. */
	static JsonNode problemWithoutTraceId(HttpResponse<String> response) {
		ObjectNode problem = (ObjectNode) json(response);
		problem.remove("traceId");
		return problem;
	}

	static JsonNode claims(String jwt) {
		return JSON.readTree(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
	}

	private HttpResponse<String> post(String path, String json) {
		return send(HttpRequest.newBuilder(URI.create(gateway + path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json)));
	}

	private HttpResponse<String> get(String path, String accessToken) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway + path)).GET();
		if (accessToken != null) {
			request.header("Authorization", "Bearer " + accessToken);
		}
		return send(request);
	}

	private static HttpResponse<String> send(HttpRequest.Builder request) {
		try {
			return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
