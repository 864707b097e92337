package dev.chat.auth.keycloak;

import java.util.function.Function;

import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.reactive.function.client.ClientResponse;

/**
 * Turns Keycloak's answers into values or into {@link KeycloakRejected} and
 * {@link KeycloakUnavailable}, so that callers only see those two failures.
 */
final class KeycloakResponses {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private KeycloakResponses() {
	}

	/** The body of a 2xx answer as {@code type}; any other answer as an error. */
	static <T> Function<ClientResponse, Mono<T>> body(Class<T> type) {
		return response -> response.statusCode().is2xxSuccessful() ? response.bodyToMono(type) : failure(response);
	}

	/** Completes on a 2xx answer (the body is discarded); any other answer as an error. */
	static Function<ClientResponse, Mono<Void>> success() {
		return response -> response.statusCode().is2xxSuccessful() ? response.releaseBody() : failure(response);
	}

	static <T> Mono<T> failure(ClientResponse response) {
		int status = response.statusCode().value();
		return response.bodyToMono(String.class).defaultIfEmpty("").flatMap(body -> {
			if (status >= 500 || status < 400) {
				return Mono.error(new KeycloakUnavailable("Keycloak answered " + status, null));
			}
			JsonNode json = parse(body);
			String error = text(json, "error");
			if (error == null) {
				error = text(json, "errorMessage");
			}
			return Mono.error(new KeycloakRejected(status, error != null ? error : "http_" + status,
					text(json, "error_description"), text(json, "field")));
		});
	}

	/**
	 * Wraps transport failures (refused connections, timeouts, unreadable bodies) as
	 * {@link KeycloakUnavailable}; Keycloak's own answers pass through.
	 */
	static Throwable unavailable(Throwable error) {
		if (error instanceof KeycloakRejected || error instanceof KeycloakUnavailable) {
			return error;
		}
		return new KeycloakUnavailable("Keycloak call failed: " + error.getClass().getSimpleName(), error);
	}

	private static JsonNode parse(String body) {
		try {
			return JSON.readTree(body);
		}
		catch (JacksonException notJson) {
			return null;
		}
	}

	private static String text(JsonNode json, String field) {
		if (json == null || !json.path(field).isString()) {
			return null;
		}
		return json.path(field).asString();
	}

}
