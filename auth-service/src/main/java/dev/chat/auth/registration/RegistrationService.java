package dev.chat.auth.registration;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

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
import dev.chat.common.error.ErrorTypes;

/**
 * Registers a user in three steps: the Keycloak user (whose id becomes the user id), the profile,
 * the {@code user.registered} event. There is no transaction across the three, so each failure
 * undoes the steps before it: a failed profile write or publish deletes the Keycloak user again
 * (the profile step removes its own document when publishing fails). A retry of the same request
 * then starts from nothing and succeeds.
 */
@Service
class RegistrationService {

	private static final Logger log = LoggerFactory.getLogger(RegistrationService.class);

	/** Undoing is retried a few times: giving up leaves a user who cannot register again. */
	private static final Retry COMPENSATION_RETRY = Retry.backoff(3, Duration.ofMillis(200));

	private final KeycloakAdmin keycloak;

	private final ProfileService profiles;

	RegistrationService(KeycloakAdmin keycloak, ProfileService profiles) {
		this.keycloak = keycloak;
		this.profiles = profiles;
	}

	Mono<Profile> register(RegistrationRequest request) {
		String username = request.username().toLowerCase(Locale.ROOT);
		String email = email(request.email());
		String displayName = request.displayName() == null || request.displayName().isBlank() ? username
				: request.displayName().strip();
		NewUser user = new NewUser(username, email, request.password());
		Mono<Profile> registration = keycloak.createUser(user)
			.onErrorMap(KeycloakRejected.class, RegistrationService::refusal)
			.flatMap(userId -> profiles.createAndAnnounce(ProfileService.newProfile(userId, username, email, displayName))
				.onErrorResume(failure -> undo(userId, failure)))
			.doOnNext(profile -> log.atInfo()
				.addKeyValue("userId", profile.id())
				.addKeyValue("username", profile.username())
				.log("user registered"));
		return Detached.run(registration);
	}

	private Mono<Profile> undo(String userId, Throwable failure) {
		log.atWarn()
			.addKeyValue("userId", userId)
			.setCause(failure)
			.log("registration failed after the Keycloak user was created; deleting it");
		return keycloak.deleteUser(userId).retryWhen(COMPENSATION_RETRY).onErrorResume(cleanup -> {
			log.atError()
				.addKeyValue("userId", userId)
				.setCause(cleanup)
				.log("Keycloak user left without a profile: delete it, or its username stays taken");
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
