package dev.chat.load.tokens;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The generator's users {@code bench-0000 ...} in the {@code chat} realm, created in bulk through
 * Keycloak's admin API: {@code partialImport} takes a hundred users per request and skips those
 * that exist, where registering through auth-service would cost a request and a profile each.
 * They look like the realm's demo users (enabled, e-mail verified, a password, realm role
 * {@code user}). Nothing in the services needs an auth-service profile to connect, create, join
 * or send: they all take the user from the token.
 */
public final class BenchUsers {

	public static final String PASSWORD = "bench-pass";

	private static final int BATCH = 100;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http;

	private final String keycloak;

	public BenchUsers(HttpClient http, int keycloakPort) {
		this.http = http;
		this.keycloak = "http://127.0.0.1:" + keycloakPort;
	}

	public static String username(int user) {
		return "bench-%04d".formatted(user);
	}

	/** Makes sure the given users exist; returns how many were created. */
	public int ensure(List<Integer> users) {
		String admin = adminToken();
		int added = 0;
		for (int from = 0; from < users.size(); from += BATCH) {
			List<Map<String, Object>> batch = new ArrayList<>();
			for (int user : users.subList(from, Math.min(users.size(), from + BATCH))) {
				batch.add(Map.of("username", username(user), "enabled", true, "emailVerified", true, "email",
						username(user) + "@bench.local", "firstName", "Bench", "lastName", username(user),
						"credentials", List.of(Map.of("type", "password", "value", PASSWORD, "temporary", false)),
						"realmRoles", List.of("user")));
			}
			String body = JSON.writeValueAsString(Map.of("ifResourceExists", "SKIP", "users", batch));
			JsonNode answer = JSON.readTree(send(HttpRequest.newBuilder(URI.create(keycloak + "/admin/realms/chat/partialImport"))
				.header("Authorization", "Bearer " + admin)
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(body)), 200));
			added += answer.path("added").asInt();
		}
		return added;
	}

	private String adminToken() {
		String form = form(Map.of("grant_type", "password", "client_id", "admin-cli", "username", "admin", "password",
				"admin"));
		return JSON.readTree(send(HttpRequest.newBuilder(URI.create(keycloak + "/realms/master/protocol/openid-connect/token"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form)), 200)).get("access_token").asString();
	}

	static String form(Map<String, String> fields) {
		return fields.entrySet()
			.stream()
			.map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
	}

	private String send(HttpRequest.Builder request, int expected) {
		try {
			HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(120)).build(),
					HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != expected) {
				throw new IllegalStateException(request.build().uri() + " answered " + response.statusCode() + ": "
						+ response.body());
			}
			return response.body();
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException("Keycloak at " + keycloak + " did not answer: " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
