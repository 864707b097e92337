package dev.chat.auth.registration;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

import dev.chat.auth.keycloak.KeycloakAdmin;
import dev.chat.auth.keycloak.KeycloakRejected;
import dev.chat.auth.keycloak.KeycloakUnavailableForTests;
import dev.chat.auth.keycloak.NewUser;
import dev.chat.auth.profile.ProfileService;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * Registration as all or nothing: each failure after the Keycloak user exists deletes it again.
 * Keycloak and the profile store are stand-ins here; the real ones are exercised by the
 * end-to-end tests in {@code infra/e2e} ({@code dev.chat.e2e.identity}).
 */
class RegistrationServiceTests {

	private static final String USER_ID = "0d6c2c1e-5d7a-4f55-9b1d-2f3f6b0c9a11";

	private final KeycloakAdmin keycloak = mock(KeycloakAdmin.class);

	private final ProfileService profiles = mock(ProfileService.class);

	private final RegistrationService registrations = new RegistrationService(keycloak, profiles);

	@Test
	void createsTheKeycloakUserThenTheProfile() {
		when(keycloak.createUser(any())).thenReturn(Mono.just(USER_ID));
		when(profiles.createAndAnnounce(any())).thenAnswer(call -> Mono.just(call.getArgument(0)));

		StepVerifier.create(registrations.register(new RegistrationRequest("Dan", "12345678", " Dan@Example.com ", null)))
			.assertNext(profile -> {
				assertThat(profile.id()).isEqualTo(USER_ID);
				assertThat(profile.username()).isEqualTo("dan");
				assertThat(profile.email()).isEqualTo("dan@example.com");
				assertThat(profile.displayName()).isEqualTo("dan");
				assertThat(profile.createdAt()).isBeforeOrEqualTo(Instant.now());
			})
			.verifyComplete();
		verify(keycloak).createUser(new NewUser("dan", "dan@example.com", "12345678"));
		verify(keycloak, never()).deleteUser(any());
	}

	@Test
	void aTakenUsernameIsAConflictAndCreatesNoProfile() {
		when(keycloak.createUser(any()))
			.thenReturn(Mono.error(new KeycloakRejected(409, "User exists with same username", null, null)));

		StepVerifier.create(registrations.register(new RegistrationRequest("dan", "12345678", null, null)))
			.expectErrorSatisfies(error -> {
				assertThat(error).isInstanceOf(UsernameTakenException.class);
				assertThat(((ErrorResponseException) error).getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
			})
			.verify();
		verify(profiles, never()).createAndAnnounce(any());
	}

	@Test
	void aTakenEmailIsAConflictNamingTheEmail() {
		when(keycloak.createUser(any()))
			.thenReturn(Mono.error(new KeycloakRejected(409, "User exists with same email", null, null)));

		StepVerifier.create(registrations.register(new RegistrationRequest("dan", "12345678", "d@example.com", null)))
			.expectErrorSatisfies(error -> assertThat(((ErrorResponseException) error).getBody().getProperties())
				.extracting("errors")
				.asString()
				.contains("email"))
			.verify();
	}

	@Test
	void aFailedProfileWriteDeletesTheKeycloakUser() {
		when(keycloak.createUser(any())).thenReturn(Mono.just(USER_ID));
		when(keycloak.deleteUser(USER_ID)).thenReturn(Mono.empty());
		DataAccessResourceFailureException down = new DataAccessResourceFailureException("mongo down");
		when(profiles.createAndAnnounce(any())).thenReturn(Mono.error(down));

		StepVerifier.create(registrations.register(new RegistrationRequest("dan", "12345678", null, null)))
			.expectErrorSatisfies(error -> assertThat(error).isSameAs(down))
			.verify();
		verify(keycloak).deleteUser(USER_ID);
	}

	@Test
	void aFailedUndoIsRetriedAndTheOriginalFailureReported() {
		when(keycloak.createUser(any())).thenReturn(Mono.just(USER_ID));
		int[] attempts = { 0 };
		when(keycloak.deleteUser(USER_ID)).thenReturn(Mono.defer(() -> ++attempts[0] < 3
				? Mono.error(KeycloakUnavailableForTests.create()) : Mono.<Void>empty()));
		IllegalStateException failure = new IllegalStateException("publish failed");
		when(profiles.createAndAnnounce(any())).thenReturn(Mono.error(failure));

		StepVerifier.create(registrations.register(new RegistrationRequest("dan", "12345678", null, null)))
			.expectErrorSatisfies(error -> assertThat(error).isSameAs(failure))
			.verify();
		assertThat(attempts[0]).isEqualTo(3);
		verify(keycloak, times(1)).deleteUser(USER_ID);
	}

	@Test
	void aValueKeycloakRefusesIsAValidationProblemNamingTheField() {
		when(keycloak.createUser(any()))
			.thenReturn(Mono.error(new KeycloakRejected(400, "invalidEmailMessage", null, "email")));

		StepVerifier.create(registrations.register(new RegistrationRequest("dan", "12345678", "d@example", null)))
			.expectErrorSatisfies(error -> {
				ErrorResponseException problem = (ErrorResponseException) error;
				assertThat(problem.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
				assertThat(problem.getBody().getProperties()).extracting("errors").asString().contains("email");
			})
			.verify();
		verify(profiles, never()).createAndAnnounce(any());
	}

	@Test
	void aBlankDisplayNameFallsBackToTheUsername() {
		when(keycloak.createUser(any())).thenReturn(Mono.just(USER_ID));
		when(profiles.createAndAnnounce(any())).thenAnswer(call -> Mono.just(call.getArgument(0)));

		StepVerifier.create(registrations.register(new RegistrationRequest("dan", "12345678", "", "  ")))
			.assertNext(profile -> {
				assertThat(profile.displayName()).isEqualTo("dan");
				assertThat(profile.email()).isNull();
			})
			.verifyComplete();
	}

}
