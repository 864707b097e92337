package dev.chat.auth.keycloak;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What Keycloak's brute-force detection says about one user
 * ({@code GET /admin/realms/{realm}/attack-detection/brute-force/users/{id}}).
 *
 * @param disabled the user may not log in now: temporarily locked out, permanently locked out,
 * or disabled by an administrator
 * @param failedLoginNotBefore for a temporary lockout, the epoch second it ends; Keycloak answers
 * {@link Long#MAX_VALUE} for a permanent one and 0 when there is none
 */
public record BruteForceStatus(boolean disabled, long failedLoginNotBefore) {

	/** Locked out for a while: logging in again is possible after {@link #retryAfter}. */
	public boolean temporarilyLocked(Instant now) {
		return disabled && failedLoginNotBefore > now.getEpochSecond() && failedLoginNotBefore != Long.MAX_VALUE;
	}

	/**
	 * How long until a temporary lockout ends, rounded up to whole seconds, at least one; empty
	 * when the user is not temporarily locked out.
	 */
	public Optional<Duration> retryAfter(Instant now) {
		if (!temporarilyLocked(now)) {
			return Optional.empty();
		}
		return Optional.of(Duration.ofSeconds(Math.max(1, failedLoginNotBefore - now.getEpochSecond())));
	}

}
