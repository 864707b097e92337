package dev.chat.e2e.identity;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

import dev.chat.stack.Stack;

/**
 * Keycloak's admin API on the test stack, as the {@code chat-auth-service} service account (its
 * local secret is in {@code infra/keycloak/chat-realm.json}), and its token endpoint directly:
 * for users that exist in Keycloak without ever passing through auth-service.
 */
final class KeycloakUsers {

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final String base;

	private final String issuer;

	KeycloakUsers(Stack stack) {
		String issuer = stack.config().issuerUri();
		this.issuer = issuer;
		this.base = issuer.substring(0, issuer.indexOf("/realms/")) + "/admin/realms/chat";
	}

	/** Whether Keycloak has a user with exactly this username. */
	boolean exists(String username) {
		HttpResponse<String> response = send(HttpRequest
			.newBuilder(URI.create(base + "/users?exact=true&username=" + URLEncoder.encode(username, StandardCharsets.UTF_8)))
			.header("Authorization", "Bearer " + serviceAccountToken())
			.GET());
		return AuthApi.JSON.readTree(response.body()).size() > 0;
	}

	/** Creates a user with first and last name directly in Keycloak and returns its id. */
	String create(String username, String password, String firstName, String lastName) {
		Map<String, Object> user = Map.of("username", username, "enabled", true, "email", username + "@example.com",
				"firstName", firstName, "lastName", lastName, "credentials",
				List.of(Map.of("type", "password", "value", password, "temporary", false)));
		HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(base + "/users"))
			.header("Authorization", "Bearer " + serviceAccountToken())
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(AuthApi.JSON.writeValueAsString(user))));
		if (response.statusCode() != 201) {
			throw new IllegalStateException("creating " + username + " failed: " + response.statusCode());
		}
		String location = response.headers().firstValue("Location").orElseThrow();
		return location.substring(location.lastIndexOf('/') + 1);
	}

	/** A token response straight from Keycloak, as an OIDC client gets it without auth-service. */
	JsonNode tokensFromKeycloak(String username, String password) {
		HttpResponse<String> response = send(tokenRequest(Map.of("grant_type", "password", "client_id",
				"chat-auth-service", "client_secret", "chat-auth-service-secret", "username", username, "password",
				password)));
		if (response.statusCode() != 200) {
			throw new IllegalStateException("login of " + username + " failed: " + response.statusCode());
		}
		return AuthApi.JSON.readTree(response.body());
	}

	private String serviceAccountToken() {
		HttpResponse<String> response = send(tokenRequest(Map.of("grant_type", "client_credentials", "client_id",
				"chat-auth-service", "client_secret", "chat-auth-service-secret")));
		return AuthApi.JSON.readTree(response.body()).path("access_token").asString();
	}

	private HttpRequest.Builder tokenRequest(Map<String, String> form) {
		StringBuilder body = new StringBuilder();
		form.forEach((key, value) -> body.append(body.isEmpty() ? "" : "&")
			.append(key)
			.append('=')
			.append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
		return HttpRequest.newBuilder(URI.create(issuer + "/protocol/openid-connect/token"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body.toString()));
	}

	private static HttpResponse<String> send(HttpRequest.Builder request) {
		try {
			return HTTP.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
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
