package dev.chat.auth.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import dev.chat.auth.keycloak.BruteForceStatus;
import dev.chat.auth.keycloak.KeycloakAdmin;
import dev.chat.auth.keycloak.KeycloakUnavailableForTests;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

class LoginLockoutTests {

	private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

	private final KeycloakAdmin keycloak = mock(KeycloakAdmin.class);

	private final LoginLockout lockout = new LoginLockout(keycloak, Clock.fixed(NOW, ZoneOffset.UTC));

	@Test
	void aTemporarilyLockedUserWaitsUntilTheLockEnds() {
		when(keycloak.findUserId("dan")).thenReturn(Mono.just("id-dan"));
		when(keycloak.bruteForceStatus("id-dan"))
			.thenReturn(Mono.just(new BruteForceStatus(true, NOW.getEpochSecond() + 57)));

		StepVerifier.create(lockout.retryAfter("dan")).expectNext(Duration.ofSeconds(57)).verifyComplete();
	}

	@Test
	void anUnlockedUserIsNotLocked() {
		when(keycloak.findUserId("dan")).thenReturn(Mono.just("id-dan"));
		when(keycloak.bruteForceStatus("id-dan")).thenReturn(Mono.just(new BruteForceStatus(false, 0)));

		StepVerifier.create(lockout.retryAfter("dan")).verifyComplete();
	}

	@Test
	void aLockThatJustEndedIsNotALock() {
		when(keycloak.findUserId("dan")).thenReturn(Mono.just("id-dan"));
		when(keycloak.bruteForceStatus("id-dan"))
			.thenReturn(Mono.just(new BruteForceStatus(true, NOW.getEpochSecond())));

		StepVerifier.create(lockout.retryAfter("dan")).verifyComplete();
	}

	@Test
	void aPermanentLockOrADisabledUserIsNoWaitingMatter() {
		when(keycloak.findUserId("dan")).thenReturn(Mono.just("id-dan"));
		when(keycloak.bruteForceStatus("id-dan")).thenReturn(Mono.just(new BruteForceStatus(true, Long.MAX_VALUE)));

		StepVerifier.create(lockout.retryAfter("dan")).verifyComplete();
	}

	@Test
	void anUnknownUserIsNotLocked() {
		when(keycloak.findUserId("nobody")).thenReturn(Mono.empty());

		StepVerifier.create(lockout.retryAfter("nobody")).verifyComplete();
	}

	@Test
	void whenTheAdminApiFailsTheLoginIsRefusedAsUsual() {
		when(keycloak.findUserId("dan")).thenReturn(Mono.error(KeycloakUnavailableForTests.create()));

		StepVerifier.create(lockout.retryAfter("dan")).verifyComplete();
	}

}
