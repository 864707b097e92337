package dev.chat.auth.registration;

import java.time.Instant;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

import dev.chat.auth.keycloak.KeycloakAdmin;
import dev.chat.auth.keycloak.KeycloakRejected;
import dev.chat.auth.keycloak.KeycloakUnavailableForTests;
import dev.chat.auth.keycloak.NewUser;
import dev.chat.auth.profile.ProfileService;
import dev.chat.common.error.ErrorTypes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * The steps of one registration and what each failure leads to. Keycloak, the store and the
 * settlement are stand-ins here; the real ones are exercised by {@code RegistrationRelayIntegrationTests}
 * and the end-to-end tests in {@code infra/e2e} ({@code dev.chat.e2e.identity}).
 */
class RegistrationServiceTests {

	private static final String USER_ID = "0d6c2c1e-5d7a-4f55-9b1d-2f3f6b0c9a11";

	private final KeycloakAdmin keycloak = mock(KeycloakAdmin.class);

	private final ProfileService profiles = mock(ProfileService.class);

	private final PendingRegistrations pending = mock(PendingRegistrations.class);

	private final Settlement settlement = mock(Settlement.class);

	private final RegistrationService registrations = new RegistrationService(keycloak, profiles, pending, settlement);

	@BeforeEach
	void aStoreThatTakesEveryWrite() {
		when(pending.intend(any())).thenReturn(Mono.empty());
		when(pending.ready(any())).thenReturn(Mono.empty());
		when(pending.forget(any())).thenReturn(Mono.empty());
		when(settlement.publish(any())).thenReturn(Mono.empty());
		when(settlement.settle(any())).thenReturn(Mono.just(Settlement.Outcome.UNDONE));
	}

	@Test
	void recordsTheRegistrationCreatesTheKeycloakUserAndTheProfileThenPublishes() {
		when(keycloak.createUser(any())).thenReturn(Mono.just(USER_ID));
		when(profiles.create(any())).thenReturn(Mono.just(true));

		StepVerifier.create(registrations.register(new RegistrationRequest("Dan", "12345678", " Dan@Example.com ", null)))
			.assertNext(profile -> {
				assertThat(profile.id()).isEqualTo(USER_ID);
				assertThat(profile.username()).isEqualTo("dan");
				assertThat(profile.email()).isEqualTo("dan@example.com");
				assertThat(profile.displayName()).isEqualTo("dan");
				assertThat(profile.createdAt()).isBeforeOrEqualTo(Instant.now());
			})
			.verifyComplete();
		ArgumentCaptor<PendingRegistration> intent = ArgumentCaptor.forClass(PendingRegistration.class);
		verify(pending).intend(intent.capture());
		assertThat(intent.getValue().username()).isEqualTo("dan");
		assertThat(intent.getValue().state()).isEqualTo(PendingRegistration.State.INTENT);
		verify(keycloak).createUser(new NewUser("dan", "dan@example.com", "12345678"));
		PendingRegistration ready = intent.getValue().ready(USER_ID);
		verify(pending).ready(ready);
		verify(settlement).publish(ready);
		verify(settlement, never()).settle(any());
	}

	@Test
	void aRegistrationOfTheSameUsernameUnderWayIs503AndTouchesNothing() {
		when(pending.intend(any())).thenReturn(Mono.error(new DuplicateKeyException("registrations _id")));

		StepVerifier.create(registrations.register(new RegistrationRequest("dan", "12345678", null, null)))
			.expectErrorSatisfies(error -> assertThat(((ErrorResponseException) error).getBody().getType())
				.isEqualTo(ErrorTypes.UNAVAILABLE))
			.verify();
		verify(keycloak, never()).createUser(any());
		verify(pending, never()).forget(any());
		verify(settlement, never()).settle(any());
	}

	@Test
	void aTakenUsernameIsAConflictForgetsTheRegistrationAndCreatesNoProfile() {
		when(keycloak.createUser(any()))
			.thenReturn(Mono.error(new KeycloakRejected(409, "User exists with same username", null, null)));

		StepVerifier.create(registrations.register(new RegistrationRequest("dan", "12345678", null, null)))
			.expectErrorSatisfies(error -> {
				assertThat(error).isInstanceOf(UsernameTakenException.class);
				assertThat(((ErrorResponseException) error).getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
			})
			.verify();
		verify(pending).forget("dan");
		verify(profiles, never()).create(any());
		verify(settlement, never()).settle(any());
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
		verify(profiles, never()).create(any());
	}

	@Test
	void aKeycloakThatDoesNotAnswerIsSettledAndReported() {
		var down = KeycloakUnavailableForTests.create();
		when(keycloak.createUser(any())).thenReturn(Mono.error(down));

		StepVerifier.create(registrations.register(new RegistrationRequest("dan", "12345678", null, null)))
			.expectErrorSatisfies(error -> assertThat(error).isSameAs(down))
			.verify();
		verify(settlement).settle(any());
		verify(profiles, never()).create(any());
	}

	@Test
	void aFailedProfileWriteIsSettledAndTheOriginalFailureReportedEvenWhenSettlingFails() {
		when(keycloak.createUser(any())).thenReturn(Mono.just(USER_ID));
		DataAccessResourceFailureException down = new DataAccessResourceFailureException("mongo down");
		when(profiles.create(any())).thenReturn(Mono.error(down));
		when(settlement.settle(any())).thenReturn(Mono.error(new DataAccessResourceFailureException("still down")));

		StepVerifier.create(registrations.register(new RegistrationRequest("dan", "12345678", null, null)))
			.expectErrorSatisfies(error -> assertThat(error).isSameAs(down))
			.verify();
		ArgumentCaptor<PendingRegistration> settled = ArgumentCaptor.forClass(PendingRegistration.class);
		verify(settlement).settle(settled.capture());
		assertThat(settled.getValue().username()).isEqualTo("dan");
		verify(settlement, never()).publish(any());
	}

	@Test
	void aStoredProfileIsARegistrationEvenWhenKafkaDoesNotTakeTheEvent() {
		when(keycloak.createUser(any())).thenReturn(Mono.just(USER_ID));
		when(profiles.create(any())).thenReturn(Mono.just(true));
		when(settlement.publish(any())).thenReturn(Mono.error(new IllegalStateException("Kafka down")));

		StepVerifier.create(registrations.register(new RegistrationRequest("dan", "12345678", null, null)))
			.assertNext(profile -> assertThat(profile.id()).isEqualTo(USER_ID))
			.verifyComplete();
		verify(pending, never()).forget(any()); // the ready entry stays for the relay
		verify(settlement, never()).settle(any());
	}

	@Test
	void aProfileTheUsersFirstRequestStoredIsNotAnnouncedAgain() {
		when(keycloak.createUser(any())).thenReturn(Mono.just(USER_ID));
		when(profiles.create(any())).thenReturn(Mono.just(false));

		StepVerifier.create(registrations.register(new RegistrationRequest("dan", "12345678", null, null)))
			.expectNextCount(1)
			.verifyComplete();
		verify(pending).forget("dan");
		verify(settlement, never()).publish(any());
	}

	@Test
	void aBlankDisplayNameFallsBackToTheUsername() {
		when(keycloak.createUser(any())).thenReturn(Mono.just(USER_ID));
		when(profiles.create(any())).thenReturn(Mono.just(true));

		StepVerifier.create(registrations.register(new RegistrationRequest("dan", "12345678", "", "  ")))
			.assertNext(profile -> {
				assertThat(profile.displayName()).isEqualTo("dan");
				assertThat(profile.email()).isNull();
			})
			.verifyComplete();
	}

}
