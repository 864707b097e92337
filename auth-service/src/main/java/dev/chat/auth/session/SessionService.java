package dev.chat.auth.session;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import org.springframework.stereotype.Service;

import dev.chat.auth.Detached;
import dev.chat.auth.events.UserEventPublisher;
import dev.chat.auth.keycloak.KeycloakRejected;
import dev.chat.auth.keycloak.KeycloakTokens;
import dev.chat.common.events.UserEvent;
import dev.chat.common.metrics.ChatMeters;

/**
 * Login, refresh and logout through Keycloak. Refusals count in {@code chat.auth.failures}:
 * {@code reason=bad-credentials} for a login, {@code bad-refresh} for a refresh or logout token
 * (the same counter the resource servers count invalid access tokens in).
 */
@Service
class SessionService {

	private static final Logger log = LoggerFactory.getLogger(SessionService.class);

	private final KeycloakTokens keycloak;

	private final UserEventPublisher events;

	private final Counter badCredentials;

	private final Counter badRefresh;

	SessionService(KeycloakTokens keycloak, UserEventPublisher events, MeterRegistry meters) {
		this.keycloak = keycloak;
		this.events = events;
		this.badCredentials = failures(meters, "bad-credentials");
		this.badRefresh = failures(meters, "bad-refresh");
	}

	private static Counter failures(MeterRegistry meters, String reason) {
		return Counter.builder(ChatMeters.AUTH_FAILURES)
			.description("Requests refused for want of a valid identity")
			.tag("reason", reason)
			.register(meters);
	}

	/**
	 * Keycloak's token response for valid credentials. Refused: the same 401 for a wrong
	 * password, an unknown user and an account that brute-force detection has locked (Keycloak
	 * refuses even the right password then, in the same words), so that no answer tells whether
	 * a username exists. Guessing is slowed by the gateway's per-address limit and by the lock.
	 */
	Mono<JsonNode> login(String username, String password) {
		return keycloak.passwordGrant(username, password)
			.onErrorResume(KeycloakRejected.class, rejected -> {
				if (!rejected.isInvalidGrant()) {
					return Mono.error(rejected);
				}
				log.atInfo()
					.addKeyValue("username", username)
					.addKeyValue("reason", String.valueOf(rejected.description()))
					.log("login refused");
				badCredentials.increment();
				return Mono.error(SessionProblems.invalidCredentials());
			});
	}

	/** A new token response; 401 when the refresh token is invalid, expired or revoked. */
	Mono<JsonNode> refresh(String refreshToken) {
		return keycloak.refresh(refreshToken).onErrorMap(KeycloakRejected.class, this::refreshRefused);
	}

	private Throwable refreshRefused(KeycloakRejected rejected) {
		if (!rejected.isInvalidGrant()) {
			return rejected;
		}
		badRefresh.increment();
		return SessionProblems.invalidRefreshToken();
	}

	/**
	 * Ends the refresh token's session at Keycloak, then publishes {@code user.logged-out} with
	 * the user and session the token names: the claims are trusted only once Keycloak has
	 * accepted the token. Keycloak accepts a genuine token of an already ended session again, so
	 * logging out twice succeeds twice and publishes twice; consumers treat the event as
	 * idempotent. When publishing fails the answer is 503 and the client can simply retry.
	 */
	Mono<Void> logout(String refreshToken) {
		RefreshTokenClaims claims = RefreshTokenClaims.read(refreshToken).orElse(null);
		if (claims == null) {
			badRefresh.increment();
			return Mono.error(SessionProblems.invalidRefreshToken());
		}
		Mono<Void> logout = keycloak.logout(refreshToken)
			.onErrorMap(KeycloakRejected.class, this::refreshRefused)
			.then(Mono.defer(() -> events.publish(UserEvent.UserLoggedOut.of(claims.userId(), claims.sessionId()))))
			.doOnSuccess(done -> log.atInfo()
				.addKeyValue("userId", claims.userId())
				.addKeyValue("sessionId", claims.sessionId())
				.log("user logged out"));
		return Detached.run(logout);
	}

}
