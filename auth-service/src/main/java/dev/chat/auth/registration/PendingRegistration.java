package dev.chat.auth.registration;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

import dev.chat.common.events.UserEvent;

/**
 * A registration under way, in {@code chat_auth.registrations}, keyed by the username: the
 * outbox entry of its {@code user.registered} (see {@link RegistrationRelay}). Written before
 * the Keycloak user, so that no Keycloak user exists without one until its registration is
 * settled; a second registration of the same username meanwhile fails on the key.
 *
 * @param username the lower-cased username, the key
 * @param userId the Keycloak user id, once the profile is stored ({@code READY}); null before
 * @param displayName the name the event announces
 * @param eventId the id of the event, fixed here so that a republished event keeps it
 * @param state {@code INTENT} until the profile is stored, then {@code READY} to publish
 * @param createdAt when the registration began
 */
@Document(PendingRegistration.COLLECTION)
record PendingRegistration(@Id String username, String userId, String displayName, String eventId, State state,
		Instant createdAt) {

	static final String COLLECTION = "registrations";

	enum State {

		/** The Keycloak user and the profile may or may not exist yet. */
		INTENT,

		/** Both exist: publish {@code user.registered}, then drop the entry. */
		READY

	}

	static PendingRegistration intent(String username, String displayName, Instant now) {
		return new PendingRegistration(username, null, displayName, UUID.randomUUID().toString(), State.INTENT, now);
	}

	PendingRegistration ready(String userId) {
		return new PendingRegistration(username, userId, displayName, eventId, State.READY, createdAt);
	}

	boolean olderThan(Duration age, Instant now) {
		return createdAt.plus(age).isBefore(now);
	}

	UserEvent.UserRegistered event(String userId) {
		return new UserEvent.UserRegistered(UUID.fromString(eventId), 1, createdAt, userId, username, displayName);
	}

}
