package dev.chat.auth.registration;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Service;
import org.springframework.web.ErrorResponseException;

import dev.chat.auth.Detached;
import dev.chat.auth.keycloak.KeycloakAdmin;
import dev.chat.auth.keycloak.KeycloakRejected;
import dev.chat.auth.keycloak.NewUser;
import dev.chat.auth.profile.Profile;
import dev.chat.auth.profile.ProfileService;
import dev.chat.common.error.ChatProblemHandler;
import dev.chat.common.error.ChatProblems;
import dev.chat.common.error.ErrorTypes;

/**
 * Registers a user in four steps, none of which may be left half-done: the pending registration
 * (the outbox entry of its event, keyed by the username), the Keycloak user (whose id becomes the
 * user id), the profile, then the event. There is no transaction across Keycloak, the store and
 * Kafka, so the pending registration is written first and stays until the registration is
 * settled: a refusal by Keycloak forgets it, a failure after it is settled at once by
 * {@link Settlement} (which deletes a Keycloak user left without a profile), and a request that
 * died is settled by the {@link RegistrationRelay} after the grace period. Once the profile is
 * stored the registration has happened: its event is published now or, while Kafka is down, by
 * the relay later, and the answer is 201 either way. So no Keycloak user outlives a failed
 * registration, and no {@code user.registered} names a user who does not exist.
 */
@Service
class RegistrationService {

	private static final Logger log = LoggerFactory.getLogger(RegistrationService.class);

	private static final Duration INLINE_PUBLISH = Duration.ofSeconds(2);

	private final KeycloakAdmin keycloak;

	private final ProfileService profiles;

	private final PendingRegistrations pending;

	private final Settlement settlement;

	RegistrationService(KeycloakAdmin keycloak, ProfileService profiles, PendingRegistrations pending,
			Settlement settlement) {
		this.keycloak = keycloak;
		this.profiles = profiles;
		this.pending = pending;
		this.settlement = settlement;
	}

	Mono<Profile> register(RegistrationRequest request) {
		String username = request.username().toLowerCase(Locale.ROOT);
		String email = email(request.email());
		String displayName = request.displayName() == null || request.displayName().isBlank() ? username
				: request.displayName().strip();
		PendingRegistration registration = PendingRegistration.intent(username, displayName, Instant.now());
		Mono<Profile> steps = pending.intend(registration)
			.onErrorMap(DuplicateKeyException.class, duplicate -> ChatProblems
				.unavailable("A registration of this username is still under way; try again shortly."))
			.then(Mono.defer(() -> keycloak.createUser(new NewUser(username, email, request.password()))
				.onErrorResume(KeycloakRejected.class, rejected -> {
					Throwable refusal = refusal(rejected);
					// A refusal created nothing; anything else Keycloak says is settled below.
					return refusal == rejected ? Mono.error(rejected)
							: pending.forget(username).then(Mono.error(refusal));
				})
				.flatMap(userId -> stored(registration, ProfileService.newProfile(userId, username, email, displayName)))
				.onErrorResume(failure -> !(failure instanceof ErrorResponseException), failure -> settle(registration,
						failure))))
			.doOnNext(profile -> log.atInfo()
				.addKeyValue("userId", profile.id())
				.addKeyValue("username", profile.username())
				.log("user registered"));
		return Detached.run(steps);
	}

	/**
	 * The profile is stored: the registration has happened. Its event goes out now if Kafka takes
	 * it, otherwise the relay publishes it from the ready entry; a failure to mark the entry ready
	 * leaves it to the relay's settlement, which finds the profile and publishes all the same.
	 */
	private Mono<Profile> stored(PendingRegistration registration, Profile profile) {
		return profiles.create(profile).flatMap(created -> {
			if (!created) {
				// The user's first /api/users/me stored and announced the profile already.
				return pending.forget(registration.username()).onErrorComplete().thenReturn(profile);
			}
			PendingRegistration ready = registration.ready(profile.id());
			// Kafka gets a moment, not the producer's 10 s: the relay publishes what it misses. A send
			// that completes after the timeout is published again by the relay, with its eventId.
			return pending.ready(ready)
				.then(settlement.publish(ready).timeout(INLINE_PUBLISH))
				.onErrorResume(later -> {
					log.atWarn()
						.addKeyValue("userId", profile.id())
						.addKeyValue("error", later.getClass().getSimpleName())
						.log("user.registered left to the relay");
					return Mono.empty();
				})
				.thenReturn(profile);
		});
	}

	/** Settles a registration whose Keycloak or store step failed, then reports the failure. */
	private Mono<Profile> settle(PendingRegistration registration, Throwable failure) {
		log.atWarn()
			.addKeyValue("username", registration.username())
			.setCause(failure)
			.log("registration failed; settling it");
		return settlement.settle(registration).onErrorResume(unsettled -> {
			log.atWarn()
				.addKeyValue("username", registration.username())
				.addKeyValue("error", unsettled.getClass().getSimpleName())
				.log("registration left to the relay to settle");
			return Mono.empty();
		}).then(Mono.error(failure));
	}

	/**
	 * Keycloak's refusals of a new user: 409 for a taken username or email, 400 when its own user
	 * profile validation refuses a value that passed ours. Anything else is not the client's fault.
	 */
	private static Throwable refusal(KeycloakRejected rejected) {
		if (rejected.status() == HttpStatus.CONFLICT.value()) {
			return new UsernameTakenException(rejected.error().toLowerCase(Locale.ROOT).contains("email") ? "email"
					: "username");
		}
		if (rejected.status() == HttpStatus.BAD_REQUEST.value()) {
			String field = rejected.field() != null ? rejected.field() : "password";
			ProblemDetail problem = ChatProblemHandler.problem(HttpStatus.BAD_REQUEST, ErrorTypes.VALIDATION,
					"Invalid request", "One or more fields are invalid.");
			problem.setProperty("errors", List.of(Map.of("field", field, "message", "is not accepted")));
			return new ErrorResponseException(HttpStatus.BAD_REQUEST, problem, null);
		}
		return rejected;
	}

	/**
	 * Lower-cased like the username, as Keycloak stores both, so that the profile matches the
	 * user's token claims; blank is absent.
	 */
	private static String email(String value) {
		return value == null || value.isBlank() ? null : value.strip().toLowerCase(Locale.ROOT);
	}

}
