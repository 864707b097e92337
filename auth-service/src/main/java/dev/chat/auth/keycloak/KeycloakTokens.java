package dev.chat.auth.keycloak;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;

import dev.chat.auth.AuthProperties;

/**
 * The realm's OpenID Connect endpoints, as the confidential {@code chat-auth-service} client:
 * the password grant, the refresh grant and logout. Refused grants fail with a
 * {@link KeycloakRejected} whose {@link KeycloakRejected#isInvalidGrant()} is true.
 */
@Component
public class KeycloakTokens {

	private final WebClient http;

	private final KeycloakEndpoints endpoints;

	private final AuthProperties.Keycloak keycloak;

	KeycloakTokens(WebClient keycloakWebClient, KeycloakEndpoints endpoints, AuthProperties properties) {
		this.http = keycloakWebClient;
		this.endpoints = endpoints;
		this.keycloak = properties.keycloak();
	}

	/** Keycloak's token response (access and refresh token, lifetimes) for a user's credentials. */
	public Mono<JsonNode> passwordGrant(String username, String password) {
		MultiValueMap<String, String> form = clientForm("password");
		form.add("username", username);
		form.add("password", password);
		return post(endpoints.token(), form, JsonNode.class);
	}

	/** A new token response for a refresh token of this client. */
	public Mono<JsonNode> refresh(String refreshToken) {
		MultiValueMap<String, String> form = clientForm("refresh_token");
		form.add("refresh_token", refreshToken);
		return post(endpoints.token(), form, JsonNode.class);
	}

	/**
	 * Ends the session a refresh token belongs to: its refresh tokens stop working at once.
	 * Keycloak checks the token's signature and that it was issued to this client, and refuses
	 * anything else with {@code invalid_grant}; a genuine token of a session that already ended
	 * is accepted again.
	 */
	public Mono<Void> logout(String refreshToken) {
		MultiValueMap<String, String> form = clientForm(null);
		form.add("refresh_token", refreshToken);
		return http.post()
			.uri(endpoints.logout())
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.body(BodyInserters.fromFormData(form))
			.exchangeToMono(KeycloakResponses.success())
			.onErrorMap(KeycloakResponses::unavailable);
	}

	private <T> Mono<T> post(java.net.URI uri, MultiValueMap<String, String> form, Class<T> type) {
		return http.post()
			.uri(uri)
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.accept(MediaType.APPLICATION_JSON)
			.body(BodyInserters.fromFormData(form))
			.exchangeToMono(KeycloakResponses.body(type))
			.onErrorMap(KeycloakResponses::unavailable);
	}

	private MultiValueMap<String, String> clientForm(String grantType) {
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		if (grantType != null) {
			form.add("grant_type", grantType);
		}
		form.add("client_id", keycloak.clientId());
		form.add("client_secret", keycloak.clientSecret());
		return form;
	}

}
