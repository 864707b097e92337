package dev.chat.auth.profile;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.kafka.KafkaException;
import org.springframework.security.oauth2.jwt.Jwt;

import dev.chat.auth.events.UserEventPublisher;
import dev.chat.common.events.UserEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * One profile and one {@code user.registered} per user, whichever path creates it. The store
 * and Kafka are stand-ins here; the end-to-end tests use the real ones.
 */
class ProfileServiceTests {

	private static final Profile DAN = new Profile("id-dan", "dan", "dan@example.com", "Dan", Instant.now());

	private final ProfileRepository repository = mock(ProfileRepository.class);

	private final UserEventPublisher events = mock(UserEventPublisher.class);

	private final ProfileService profiles = new ProfileService(repository, events);

	@BeforeEach
	void usernameEntriesAreWritten() {
		when(repository.saveUsernameEntry(any())).thenReturn(Mono.empty());
	}

	@Test
	void aNewProfileIsStoredAndAnnounced() {
		when(repository.insert(DAN)).thenReturn(Mono.just(DAN));
		when(events.publish(any())).thenReturn(Mono.empty());

		StepVerifier.create(profiles.createAndAnnounce(DAN)).expectNext(DAN).verifyComplete();

		verify(repository).saveUsernameEntry(DAN);
		verify(events).publish(argThat(event -> event instanceof UserEvent.UserRegistered registered
				&& registered.userId().equals("id-dan") && registered.username().equals("dan")
				&& registered.displayName().equals("Dan")));
	}

	@Test
	void aFailedPublishRemovesTheProfileAgain() {
		when(repository.insert(DAN)).thenReturn(Mono.just(DAN));
		when(repository.deleteById("id-dan")).thenReturn(Mono.empty());
		KafkaException down = new KafkaException("broker down");
		when(events.publish(any())).thenReturn(Mono.error(down));

		StepVerifier.create(profiles.createAndAnnounce(DAN)).expectErrorSatisfies(e -> assertThat(e).isSameAs(down))
			.verify();

		verify(repository).deleteById("id-dan");
	}

	@Test
	void aProfileAlreadyStoredForTheUserIsReturnedWithoutASecondEvent() {
		Profile earlier = new Profile("id-dan", "dan", null, "dan", Instant.EPOCH);
		when(repository.insert(DAN)).thenReturn(Mono.error(new DuplicateKeyException("_id")));
		when(repository.findById("id-dan")).thenReturn(Mono.just(earlier));

		StepVerifier.create(profiles.createAndAnnounce(DAN)).expectNext(earlier).verifyComplete();

		verify(events, never()).publish(any());
	}

	@Test
	void aStaleProfileHoldingTheUsernameGivesItUp() {
		Profile stale = new Profile("id-of-a-deleted-user", "dan", null, "dan", Instant.EPOCH);
		when(repository.insert(DAN)).thenReturn(Mono.error(new DuplicateKeyException("username")), Mono.just(DAN));
		when(repository.findById("id-dan")).thenReturn(Mono.empty());
		when(repository.findByUsername("dan")).thenReturn(Mono.just(stale));
		when(repository.deleteById("id-of-a-deleted-user")).thenReturn(Mono.empty());
		when(events.publish(any())).thenReturn(Mono.empty());

		StepVerifier.create(profiles.createAndAnnounce(DAN)).expectNext(DAN).verifyComplete();

		verify(repository).deleteById("id-of-a-deleted-user");
		verify(events).publish(any());
	}

	@Test
	void aKnownUserIsFoundWithoutCreatingAnything() {
		when(repository.findById("id-dan")).thenReturn(Mono.just(DAN));

		StepVerifier.create(profiles.me(jwt(Map.of("preferred_username", "dan")))).expectNext(DAN).verifyComplete();

		verify(repository, never()).insert(any());
		verify(events, never()).publish(any());
	}

	@Test
	void aUserSeenForTheFirstTimeGetsAProfileFromTheTokenClaims() {
		when(repository.findById("id-dan")).thenReturn(Mono.empty());
		when(repository.insert(any())).thenAnswer(call -> Mono.just(call.getArgument(0)));
		when(events.publish(any())).thenReturn(Mono.empty());

		StepVerifier.create(profiles.me(jwt(Map.of("preferred_username", "Dan", "email", "dan@example.com", "name",
				"Dan\nSmith"))))
			.assertNext(profile -> {
				assertThat(profile.id()).isEqualTo("id-dan");
				assertThat(profile.username()).isEqualTo("dan");
				assertThat(profile.email()).isEqualTo("dan@example.com");
				assertThat(profile.displayName()).isEqualTo("Dan Smith");
			})
			.verifyComplete();
		verify(events).publish(any(UserEvent.UserRegistered.class));
	}

	@Test
	void anUnknownUserIsNotFound() {
		when(repository.findById("nobody")).thenReturn(Mono.empty());

		StepVerifier.create(profiles.find("nobody")).expectError(ProfileNotFoundException.class).verify();
	}

	private static Jwt jwt(Map<String, Object> claims) {
		return Jwt.withTokenValue("token").header("alg", "RS256").subject("id-dan").claims(c -> c.putAll(claims)).build();
	}

}
