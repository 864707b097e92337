package dev.chat.common.events;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * Events on {@code chat.users}, keyed by {@code userId}, published by auth-service. Serialized
 * as JSON with a {@code type} field naming the event.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({ @JsonSubTypes.Type(value = UserEvent.UserRegistered.class, name = UserEvent.UserRegistered.TYPE),
		@JsonSubTypes.Type(value = UserEvent.UserLoggedOut.class, name = UserEvent.UserLoggedOut.TYPE) })
public sealed interface UserEvent {

	/** Unique per event; consumers use it to drop redeliveries. */
	UUID eventId();

	/** The schema version of this event type; bumped on incompatible changes. */
	int version();

	/** When the change happened, at the producer. */
	Instant occurredAt();

	/** The Keycloak user id ({@code sub} of the user's tokens); the record key. */
	String userId();

	/**
	 * A user was created (through registration, or on first sight of an OIDC login).
	 *
	 * @param username the unique login name
	 * @param displayName the name to show; the username when none was given
	 */
	record UserRegistered(UUID eventId, int version, Instant occurredAt, String userId, String username,
			String displayName) implements UserEvent {

		public static final String TYPE = "user.registered";

		public static UserRegistered of(String userId, String username, String displayName) {
			return new UserRegistered(UUID.randomUUID(), 1, Instant.now(), userId, username, displayName);
		}

	}

	/**
	 * A user's session was ended by logout: its refresh token no longer works, and gateways
	 * close the sockets opened with tokens of that session.
	 *
	 * @param sessionId the Keycloak session ({@code sid} claim of the session's tokens)
	 */
	record UserLoggedOut(UUID eventId, int version, Instant occurredAt, String userId, String sessionId)
			implements UserEvent {

		public static final String TYPE = "user.logged-out";

		public static UserLoggedOut of(String userId, String sessionId) {
			return new UserLoggedOut(UUID.randomUUID(), 1, Instant.now(), userId, sessionId);
		}

	}

}
