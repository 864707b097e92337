package dev.chat.auth.registration;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

import dev.chat.auth.events.UserEventPublisher;
import dev.chat.auth.keycloak.ExistingUser;
import dev.chat.auth.keycloak.KeycloakAdmin;
import dev.chat.auth.profile.ProfileService;

/**
 * Ends a pending registration one way or the other, from what Keycloak and the profile store
 * hold, for a request that failed after it began and for the relay when a request died:
 * <ul>
 * <li>no Keycloak user of that username created since the registration began: nothing happened
 * (or the name belonged to someone before), the entry goes;
 * <li>such a user with a profile: the registration did happen, its {@code user.registered} is
 * published and the entry goes;
 * <li>such a user without a profile: the registration failed half-way, the Keycloak user is
 * deleted (so the username is free again) and the entry goes.
 * </ul>
 * Each step is idempotent, so the request and the relay may both get here for one registration.
 */
@Component
class Settlement {

	enum Outcome {
		NOTHING, COMPLETED, UNDONE
	}

	/** Keycloak's clock and this service's may differ by this much. */
	private static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

	private static final Logger log = LoggerFactory.getLogger(Settlement.class);

	private final PendingRegistrations pending;

	private final KeycloakAdmin keycloak;

	private final ProfileService profiles;

	private final UserEventPublisher events;

	Settlement(PendingRegistrations pending, KeycloakAdmin keycloak, ProfileService profiles,
			UserEventPublisher events) {
		this.pending = pending;
		this.keycloak = keycloak;
		this.profiles = profiles;
		this.events = events;
	}

	Mono<Outcome> settle(PendingRegistration registration) {
		return keycloak.findUser(registration.username())
			.filter(user -> !user.createdAt().isBefore(registration.createdAt().minus(CLOCK_SKEW)))
			.flatMap(user -> profiles.existing(user.id())
				.hasElement()
				.flatMap(hasProfile -> hasProfile ? publish(registration.ready(user.id())).thenReturn(Outcome.COMPLETED)
						: undo(registration, user)))
			.switchIfEmpty(Mono.defer(() -> pending.forget(registration.username()).thenReturn(Outcome.NOTHING)))
			.doOnNext(outcome -> log.atInfo()
				.addKeyValue("username", registration.username())
				.addKeyValue("outcome", outcome)
				.log("pending registration settled"));
	}

	/** Publishes a ready registration's event, then forgets the registration. */
	Mono<Void> publish(PendingRegistration ready) {
		return events.publish(ready.event(ready.userId()))
			.then(pending.forget(ready.username()))
			.doOnSuccess(done -> log.atInfo()
				.addKeyValue("userId", ready.userId())
				.addKeyValue("eventId", ready.eventId())
				.log("user.registered published"));
	}

	private Mono<Outcome> undo(PendingRegistration registration, ExistingUser user) {
		log.atWarn()
			.addKeyValue("username", registration.username())
			.addKeyValue("userId", user.id())
			.log("registration failed half-way; deleting its Keycloak user");
		return keycloak.deleteUser(user.id()).then(pending.forget(registration.username())).thenReturn(Outcome.UNDONE);
	}

}
