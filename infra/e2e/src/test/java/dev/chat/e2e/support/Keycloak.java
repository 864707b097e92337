package dev.chat.e2e.support;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.chat.stack.StackConfig;

/**
 * Obtains real tokens from the test stack's Keycloak with the password grant of the
 * {@code chat-auth-service} client (its secret is the local stack's, in
 * {@code infra/keycloak/chat-realm.json}).
 */
public final class Keycloak {

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final StackConfig config;

	Keycloak(StackConfig config) {
		this.config = config;
	}

	/** The token response for a user: {@code access_token}, {@code refresh_token}, ... */
	public JsonNode tokens(String username, String password) {
		Map<String, String> form = Map.of("grant_type", "password", "client_id", "chat-auth-service",
				"client_secret", "chat-auth-service-secret", "username", username, "password", password);
		String body = form.entrySet()
			.stream()
			.map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
		HttpRequest request = HttpRequest
			.newBuilder(URI.create(config.issuerUri() + "/protocol/openid-connect/token"))
			.timeout(Duration.ofSeconds(10))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
		try {
			HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 200) {
				throw new IllegalStateException("token request for " + username + " failed: " + response.statusCode()
						+ " " + response.body());
			}
			return JSON.readTree(response.body());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** A demo user's access token (demo passwords are the name followed by "-pass"). */
	public String accessToken(String demoUser) {
		return tokens(demoUser, demoUser + "-pass").get("access_token").asString();
	}

}
