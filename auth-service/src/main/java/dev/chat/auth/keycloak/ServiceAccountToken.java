package dev.chat.auth.keycloak;

import java.time.Duration;

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
 * The access token of auth-service's service account (client-credentials grant), for the admin
 * API. Fetched once and reused until shortly before it expires, so that a registration costs one
 * Keycloak round trip rather than two; concurrent callers share one fetch. Failures are not
 * cached: the next caller tries again.
 */
@Component
class ServiceAccountToken {

	/** Renew this long before expiry, so a token never expires between fetch and use. */
	private static final Duration MARGIN = Duration.ofSeconds(30);

	private final WebClient http;

	private final KeycloakEndpoints endpoints;

	private final AuthProperties.Keycloak keycloak;

	private volatile Mono<String> cached;

	ServiceAccountToken(WebClient keycloakWebClient, KeycloakEndpoints endpoints, AuthProperties properties) {
		this.http = keycloakWebClient;
		this.endpoints = endpoints;
		this.keycloak = properties.keycloak();
		this.cached = newCache();
	}

	/** A valid access token of the service account. */
	Mono<String> get() {
		return Mono.defer(() -> cached);
	}

	/**
	 * Drops the cached token, for when Keycloak refused it before its expiry (the realm's keys
	 * were rotated, the session was revoked).
	 */
	void invalidate() {
		cached = newCache();
	}

	private Mono<String> newCache() {
		return fetch().cache(token -> token.ttl(), error -> Duration.ZERO, () -> Duration.ZERO)
			.map(Token::value);
	}

	private Mono<Token> fetch() {
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		form.add("grant_type", "client_credentials");
		form.add("client_id", keycloak.clientId());
		form.add("client_secret", keycloak.clientSecret());
		return http.post()
			.uri(endpoints.token())
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.body(BodyInserters.fromFormData(form))
			.exchangeToMono(KeycloakResponses.body(JsonNode.class))
			.onErrorMap(KeycloakResponses::unavailable)
			.map(json -> new Token(json.path("access_token").asString(),
					Duration.ofSeconds(json.path("expires_in").asLong(60))));
	}

	private record Token(String value, Duration lifetime) {

		Duration ttl() {
			Duration ttl = lifetime.minus(MARGIN);
			return ttl.isNegative() ? Duration.ZERO : ttl;
		}

	}

}
