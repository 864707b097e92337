package dev.chat.auth.keycloak;

import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The parts of Keycloak's admin REST API auth-service uses, called as its service account (which
 * holds {@code manage-users}, {@code view-users} and {@code query-users} of
 * {@code realm-management}).
 */
@Component
public class KeycloakAdmin {

	private final WebClient http;

	private final KeycloakEndpoints endpoints;

	private final ServiceAccountToken serviceAccount;

	KeycloakAdmin(WebClient keycloakWebClient, KeycloakEndpoints endpoints, ServiceAccountToken serviceAccount) {
		this.http = keycloakWebClient;
		this.endpoints = endpoints;
		this.serviceAccount = serviceAccount;
	}

	/**
	 * Creates an enabled user with a permanent password and returns its id, which becomes the
	 * {@code sub} of the user's tokens. A taken username or email fails with a
	 * {@link KeycloakRejected} of status 409.
	 */
	public Mono<String> createUser(NewUser user) {
		Map<String, Object> representation = new LinkedHashMap<>();
		representation.put("username", user.username());
		if (user.email() != null) {
			representation.put("email", user.email());
		}
		representation.put("enabled", true);
		representation.put("credentials",
				List.of(Map.of("type", "password", "value", user.password(), "temporary", false)));
		return authorized(token -> http.post()
			.uri(endpoints.users())
			.headers(h -> h.setBearerAuth(token))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(representation)
			.exchangeToMono(response -> {
				if (response.statusCode().value() != HttpStatus.CREATED.value()) {
					return KeycloakResponses.failure(response);
				}
				URI location = response.headers().asHttpHeaders().getLocation();
				if (location == null) {
					return Mono.error(new KeycloakUnavailable("Keycloak created a user without a Location", null));
				}
				String path = location.getPath();
				return response.releaseBody().thenReturn(path.substring(path.lastIndexOf('/') + 1));
			}));
	}

	/** Deletes a user; completes also when there is no such user (already deleted). */
	public Mono<Void> deleteUser(String userId) {
		return authorized(token -> http.delete()
			.uri(endpoints.user(userId))
			.headers(h -> h.setBearerAuth(token))
			.exchangeToMono(response -> response.statusCode().value() == HttpStatus.NOT_FOUND.value()
					? response.releaseBody() : KeycloakResponses.success().apply(response)));
	}

	/** The user with exactly this username (case-insensitive, as Keycloak's), if any. */
	public Mono<ExistingUser> findUser(String username) {
		URI uri = UriComponentsBuilder.fromUri(endpoints.users())
			.queryParam("username", "{username}")
			.queryParam("exact", true)
			.queryParam("briefRepresentation", true)
			.queryParam("max", 1)
			.encode()
			.buildAndExpand(username)
			.toUri();
		return authorized(token -> http.get()
			.uri(uri)
			.headers(h -> h.setBearerAuth(token))
			.accept(MediaType.APPLICATION_JSON)
			.exchangeToMono(KeycloakResponses.body(JsonNode.class)))
			.flatMap(users -> users.isArray() && !users.isEmpty()
					? Mono.just(new ExistingUser(users.get(0).path("id").asString(),
							Instant.ofEpochMilli(users.get(0).path("createdTimestamp").asLong(0))))
					: Mono.empty());
	}

	/**
	 * Runs an admin call with the service account's token; when Keycloak refuses the token (401)
	 * it is fetched anew and the call made once more.
	 */
	private <T> Mono<T> authorized(Function<String, Mono<T>> call) {
		Mono<T> attempt = serviceAccount.get().flatMap(call).onErrorMap(KeycloakResponses::unavailable);
		return attempt.onErrorResume(KeycloakRejected.class, rejected -> {
			if (rejected.status() != HttpStatus.UNAUTHORIZED.value()) {
				return Mono.error(rejected);
			}
			serviceAccount.invalidate();
			return attempt;
		});
	}

}
