package dev.chat.auth.profile;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Service;

import dev.chat.auth.Detached;
import dev.chat.auth.events.UserEventPublisher;
import dev.chat.common.events.UserEvent;

/**
 * Creates, finds and removes profiles. A profile is created exactly once per Keycloak user, by
 * registration or on first sight of a user who logged in through OIDC directly, and each
 * creation is announced with one {@code user.registered}.
 */
@Service
public class ProfileService {

	private static final Logger log = LoggerFactory.getLogger(ProfileService.class);

	private final ProfileRepository profiles;

	private final UserEventPublisher events;

	ProfileService(ProfileRepository profiles, UserEventPublisher events) {
		this.profiles = profiles;
		this.events = events;
	}

	/** A new profile for a user registered just now; the time is the store's resolution. */
	public static Profile newProfile(String userId, String username, String email, String displayName) {
		return new Profile(userId, username, email, displayName, Instant.now().truncatedTo(ChronoUnit.MILLIS));
	}

	/**
	 * Stores the profile and publishes {@code user.registered}; when publishing fails, the profile
	 * is removed again and the failure returned, so that a retry starts from nothing.
	 *
	 * <p>
	 * When a profile with this id already exists (the user called {@code /api/users/me} while
	 * registration was still under way), that one is returned and nothing is published: its
	 * creator already did.
	 */
	public Mono<Profile> createAndAnnounce(Profile profile) {
		return store(profile).flatMap(stored -> stored.created() ? announce(stored.profile())
				: Mono.just(stored.profile()));
	}

	/**
	 * Stores the profile of a new registration without announcing it: the registration's outbox
	 * does. Completes with whether it was created; false when a profile with this id exists
	 * already (the user called {@code /api/users/me} while registration was still under way, and
	 * that call announced it).
	 */
	public Mono<Boolean> create(Profile profile) {
		return store(profile).map(Stored::created);
	}

	/** The user's profile, or empty. */
	public Mono<Profile> existing(String userId) {
		return profiles.findById(userId);
	}

	/** Removes a profile; completes also when there is none. */
	public Mono<Void> delete(String userId) {
		return profiles.deleteById(userId);
	}

	/**
	 * The caller's profile, created from the token's claims on first sight: users who log in
	 * through Keycloak directly never pass through registration.
	 */
	public Mono<Profile> me(Jwt jwt) {
		return profiles.findById(jwt.getSubject())
			.switchIfEmpty(Mono.defer(() -> Detached.run(createAndAnnounce(fromClaims(jwt)))));
	}

	/** Any user's profile; fails with a 404 problem when there is none. */
	public Mono<Profile> find(String userId) {
		return profiles.findById(userId).switchIfEmpty(Mono.error(ProfileNotFoundException::new));
	}

	/** The profile holding the username (compared lower-cased, as Keycloak stores it), or empty. */
	public Mono<Profile> withUsername(String username) {
		return profiles.findByUsernameEntry(username.toLowerCase(Locale.ROOT));
	}

	static Profile fromClaims(Jwt jwt) {
		String username = jwt.getClaimAsString("preferred_username");
		username = username != null ? username.toLowerCase(Locale.ROOT) : jwt.getSubject();
		String displayName = DisplayNames.clean(jwt.getClaimAsString("name"), username);
		return newProfile(jwt.getSubject(), username, jwt.getClaimAsString("email"), displayName);
	}

	private Mono<Profile> announce(Profile profile) {
		return events.publish(UserEvent.UserRegistered.of(profile.id(), profile.username(), profile.displayName()))
			.thenReturn(profile)
			.onErrorResume(error -> delete(profile.id()).onErrorResume(cleanup -> {
				log.atError()
					.addKeyValue("userId", profile.id())
					.setCause(cleanup)
					.log("profile kept although its user.registered was not published");
				return Mono.empty();
			}).then(Mono.<Profile>error(error)));
	}

	private Mono<Stored> store(Profile profile) {
		return profiles.insert(profile)
			.map(Stored::created)
			.onErrorResume(DuplicateKeyException.class, duplicate -> profiles.findById(profile.id())
				.map(Stored::existing)
				.switchIfEmpty(Mono.defer(() -> releaseStaleUsername(profile)
					.then(profiles.insert(profile))
					.map(Stored::created))))
			.flatMap(stored -> stored.created() ? indexUsername(stored.profile()).thenReturn(stored) : Mono.just(stored));
	}

	/**
	 * Makes the new profile findable by its username. A failure here fails nothing else: the
	 * profile exists, and the next start's backfill ({@link UsernameBackfill}) writes the entry.
	 */
	private Mono<Void> indexUsername(Profile profile) {
		return profiles.saveUsernameEntry(profile).onErrorResume(error -> {
			log.atWarn()
				.addKeyValue("userId", profile.id())
				.setCause(error)
				.log("profile stored without its username entry; the next start writes it");
			return Mono.empty();
		});
	}

	/**
	 * Keycloak has just confirmed that the username belongs to this user (it created the user, or
	 * issued the token), so a profile that holds the name under another id is stale: its user was
	 * deleted or renamed in Keycloak, or a registration failed after storing it and could not
	 * clean up. It gives the name up; its user, if one still exists, gets a new profile on first
	 * sight.
	 */
	private Mono<Void> releaseStaleUsername(Profile profile) {
		return profiles.findByUsername(profile.username())
			.filter(stale -> !stale.id().equals(profile.id()))
			.flatMap(stale -> {
				log.atWarn()
					.addKeyValue("username", profile.username())
					.addKeyValue("staleUserId", stale.id())
					.addKeyValue("userId", profile.id())
					.log("stale profile gives up its username");
				return profiles.deleteById(stale.id());
			});
	}

	private record Stored(Profile profile, boolean created) {

		static Stored created(Profile profile) {
			return new Stored(profile, true);
		}

		static Stored existing(Profile profile) {
			return new Stored(profile, false);
		}

	}

}
