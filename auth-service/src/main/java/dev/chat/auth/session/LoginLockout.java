package dev.chat.auth.session;

import java.time.Clock;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import dev.chat.auth.keycloak.KeycloakAdmin;

/**
 * Tells a locked account from wrong credentials.
 *
 * <p>
 * Keycloak answers a login of a user locked by brute-force detection exactly as a wrong
 * password ({@code invalid_grant}, "Invalid user credentials"), so the token response alone
 * cannot tell them apart. After a refused login this asks the admin API whether the user is
 * temporarily locked, and until when. Only refused logins pay for the two extra calls.
 */
@Component
class LoginLockout {

	private static final Logger log = LoggerFactory.getLogger(LoginLockout.class);

	private final KeycloakAdmin keycloak;

	private final Clock clock;

	@Autowired
	LoginLockout(KeycloakAdmin keycloak) {
		this(keycloak, Clock.systemUTC());
	}

	LoginLockout(KeycloakAdmin keycloak, Clock clock) {
		this.keycloak = keycloak;
		this.clock = clock;
	}

	/**
	 * How long the user stays locked out; empty when the user is not locked, does not exist, or
	 * the lock cannot be checked (the login was refused either way, and answering "wrong
	 * credentials" then reveals nothing).
	 */
	Mono<Duration> retryAfter(String username) {
		return keycloak.findUserId(username)
			.flatMap(keycloak::bruteForceStatus)
			.flatMap(status -> Mono.justOrEmpty(status.retryAfter(clock.instant())))
			.onErrorResume(error -> {
				log.atWarn().addKeyValue("username", username).setCause(error).log("lockout check failed");
				return Mono.empty();
			});
	}

}
