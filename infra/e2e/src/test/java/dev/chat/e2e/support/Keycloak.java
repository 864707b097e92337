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
		return tokens("chat-auth-service", "chat-auth-service-secret", username, password);
	}

	/** The token response for a user through the given confidential client. */
	public JsonNode tokens(String clientId, String secret, String username, String password) {
		return JSON.readTree(post(config.issuerUri() + "/protocol/openid-connect/token", null,
				"application/x-www-form-urlencoded", form(Map.of("grant_type", "password", "client_id", clientId,
						"client_secret", secret, "username", username, "password", password))));
	}

	/**
	 * Creates a confidential client whose access tokens live only {@code seconds} (and carry the
	 * chat-api audience), for tests of expiry; returns its id, whose secret is the id reversed.
	 */
	public String shortLivedClient(int seconds) {
		String admin = JSON.readTree(post(
				"http://127.0.0.1:" + config.ports().keycloak() + "/realms/master/protocol/openid-connect/token", null,
				"application/x-www-form-urlencoded", form(Map.of("grant_type", "password", "client_id", "admin-cli",
						"username", "admin", "password", "admin"))))
			.get("access_token")
			.asString();
		String clientId = "e2e-short-" + java.util.UUID.randomUUID();
		String client = """
				{"clientId":"%s","secret":"%s","publicClient":false,"directAccessGrantsEnabled":true,
				 "standardFlowEnabled":false,"attributes":{"access.token.lifespan":"%d"},
				 "protocolMappers":[{"name":"aud","protocol":"openid-connect","protocolMapper":"oidc-audience-mapper",
				   "config":{"included.custom.audience":"chat-api","access.token.claim":"true"}}]}"""
			.formatted(clientId, new StringBuilder(clientId).reverse(), seconds);
		post("http://127.0.0.1:" + config.ports().keycloak() + "/admin/realms/chat/clients", admin,
				"application/json", client);
		return clientId;
	}

	private static String form(Map<String, String> fields) {
		return fields.entrySet()
			.stream()
			.map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
	}

	private static String post(String url, String bearer, String contentType, String body) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
			.timeout(Duration.ofSeconds(10))
			.header("Content-Type", contentType)
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (bearer != null) {
			request.header("Authorization", "Bearer " + bearer);
		}
		try {
			HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() / 100 != 2) {
				throw new IllegalStateException("POST " + url + " failed: " + response.statusCode() + " "
						+ response.body());
			}
			return response.body();
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
