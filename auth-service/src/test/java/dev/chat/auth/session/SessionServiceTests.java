package dev.chat.auth.session;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

import dev.chat.auth.events.UserEventPublisher;
import dev.chat.auth.keycloak.KeycloakRejected;
import dev.chat.auth.keycloak.KeycloakTokens;
import dev.chat.common.events.UserEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * How Keycloak's answers become the facade's: which refusal is a 401, which a 429, and when
 * {@code user.logged-out} is published. Keycloak is a stand-in here; the end-to-end tests use
 * the real one.
 */
class SessionServiceTests {

	private static final KeycloakRejected INVALID_GRANT = new KeycloakRejected(400, "invalid_grant",
			"Invalid user credentials", null);

	private final KeycloakTokens keycloak = mock(KeycloakTokens.class);

	private final UserEventPublisher events = mock(UserEventPublisher.class);

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final SessionService sessions = new SessionService(keycloak, events, meters);

	@Test
	void validCredentialsGiveKeycloaksTokenResponse() {
		JsonNode tokens = JsonMapper.builder().build().readTree("{\"access_token\":\"a\",\"refresh_token\":\"r\"}");
		when(keycloak.passwordGrant("dan", "pass")).thenReturn(Mono.just(tokens));

		StepVerifier.create(sessions.login("dan", "pass")).expectNext(tokens).verifyComplete();
	}

	@Test
	void refusedCredentialsAreA401() {
		when(keycloak.passwordGrant("dan", "wrong")).thenReturn(Mono.error(INVALID_GRANT));

		StepVerifier.create(sessions.login("dan", "wrong"))
			.expectErrorSatisfies(error -> assertProblem(error, HttpStatus.UNAUTHORIZED))
			.verify();
	}

	@Test
	void refusedCredentialsAndRefreshTokensAreCountedByReason() {
		when(keycloak.passwordGrant("dan", "wrong")).thenReturn(Mono.error(INVALID_GRANT));
		when(keycloak.refresh("stale")).thenReturn(Mono.error(INVALID_GRANT));

		StepVerifier.create(sessions.login("dan", "wrong")).expectError().verify();
		StepVerifier.create(sessions.login("dan", "wrong")).expectError().verify();
		StepVerifier.create(sessions.refresh("stale")).expectError().verify();

		assertThat(meters.get("chat.auth.failures").tag("reason", "bad-credentials").counter().count()).isEqualTo(2);
		assertThat(meters.get("chat.auth.failures").tag("reason", "bad-refresh").counter().count()).isEqualTo(1);
	}

	@Test
	void otherKeycloakRefusalsAreNotBlamedOnTheClient() {
		KeycloakRejected misconfigured = new KeycloakRejected(401, "invalid_client", null, null);
		when(keycloak.passwordGrant("dan", "pass")).thenReturn(Mono.error(misconfigured));

		StepVerifier.create(sessions.login("dan", "pass")).expectErrorSatisfies(e -> assertThat(e).isSameAs(misconfigured))
			.verify();
	}

	@Test
	void aRefusedRefreshTokenIsA401() {
		when(keycloak.refresh("r")).thenReturn(Mono.error(new KeycloakRejected(400, "invalid_grant", "Session not active",
				null)));

		StepVerifier.create(sessions.refresh("r"))
			.expectErrorSatisfies(error -> assertProblem(error, HttpStatus.UNAUTHORIZED))
			.verify();
	}

	@Test
	void logoutPublishesTheSessionOfTheTokenOnceKeycloakAcceptedIt() {
		String token = refreshToken("{\"sub\":\"id-dan\",\"sid\":\"session-1\",\"typ\":\"Refresh\"}");
		when(keycloak.logout(token)).thenReturn(Mono.empty());
		when(events.publish(any())).thenReturn(Mono.empty());

		StepVerifier.create(sessions.logout(token)).verifyComplete();

		verify(events).publish(argThat(event -> event instanceof UserEvent.UserLoggedOut out
				&& out.userId().equals("id-dan") && out.sessionId().equals("session-1")));
	}

	@Test
	void aTokenKeycloakRefusesPublishesNothing() {
		String forged = refreshToken("{\"sub\":\"id-victim\",\"sid\":\"session-1\"}");
		when(keycloak.logout(forged)).thenReturn(Mono.error(new KeycloakRejected(400, "invalid_grant",
				"Invalid refresh token", null)));

		StepVerifier.create(sessions.logout(forged))
			.expectErrorSatisfies(error -> assertProblem(error, HttpStatus.UNAUTHORIZED))
			.verify();
		verify(events, never()).publish(any());
	}

	@Test
	void aValueThatIsNotARefreshTokenIsRefusedWithoutAskingKeycloak() {
		StepVerifier.create(sessions.logout("not-a-jwt"))
			.expectErrorSatisfies(error -> assertProblem(error, HttpStatus.UNAUTHORIZED))
			.verify();
		verify(keycloak, never()).logout(any());
	}

	static String refreshToken(String claims) {
		Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
		return base64.encodeToString("{\"alg\":\"HS512\"}".getBytes(StandardCharsets.UTF_8)) + "."
				+ base64.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + ".c2lnbmF0dXJl";
	}

	private static void assertProblem(Throwable error, HttpStatus status) {
		assertThat(error).isInstanceOf(ErrorResponseException.class);
		assertThat(((ErrorResponseException) error).getStatusCode()).isEqualTo(status);
	}

}
