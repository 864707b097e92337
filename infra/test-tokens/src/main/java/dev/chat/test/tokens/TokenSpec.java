package dev.chat.test.tokens;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The claims of one access token, shaped like Keycloak's for the {@code chat} realm. A
 * {@code null} component means the claim is left out, which is how the bad variants that lack a
 * claim are made: start from {@link TokenMinter#spec} and change one thing.
 *
 * @param subject {@code sub}: Keycloak's user id, a UUID
 * @param username {@code preferred_username}
 * @param roles {@code realm_access.roles}
 * @param issuer {@code iss}
 * @param audience {@code aud}
 * @param issuedAt {@code iat}
 * @param expiresAt {@code exp}
 * @param notBefore {@code nbf}; Keycloak leaves it out, so valid tokens do too
 */
public record TokenSpec(String subject, String username, List<String> roles, String issuer, List<String> audience,
		Instant issuedAt, Instant expiresAt, Instant notBefore) {

	public TokenSpec {
		roles = roles == null ? List.of() : List.copyOf(roles);
		audience = audience == null ? null : List.copyOf(audience);
	}

	public TokenSpec withSubject(String subject) {
		return new TokenSpec(subject, username, roles, issuer, audience, issuedAt, expiresAt, notBefore);
	}

	public TokenSpec withUsername(String username) {
		return new TokenSpec(subject, username, roles, issuer, audience, issuedAt, expiresAt, notBefore);
	}

	public TokenSpec withRoles(String... roles) {
		return new TokenSpec(subject, username, List.of(roles), issuer, audience, issuedAt, expiresAt, notBefore);
	}

	/** {@code null} leaves {@code iss} out. */
	public TokenSpec withIssuer(String issuer) {
		return new TokenSpec(subject, username, roles, issuer, audience, issuedAt, expiresAt, notBefore);
	}

	/** {@code null} leaves {@code aud} out. */
	public TokenSpec withAudience(List<String> audience) {
		return new TokenSpec(subject, username, roles, issuer, audience, issuedAt, expiresAt, notBefore);
	}

	/** {@code null} leaves {@code exp} out. */
	public TokenSpec withExpiresAt(Instant expiresAt) {
		return new TokenSpec(subject, username, roles, issuer, audience, issuedAt, expiresAt, notBefore);
	}

	/** Moves {@code iat} and {@code exp} together, keeping the token's lifetime. */
	public TokenSpec shiftedBy(Duration offset) {
		return new TokenSpec(subject, username, roles, issuer, audience, issuedAt.plus(offset),
				expiresAt == null ? null : expiresAt.plus(offset), notBefore == null ? null : notBefore.plus(offset));
	}

	/** {@code null} leaves {@code nbf} out. */
	public TokenSpec withNotBefore(Instant notBefore) {
		return new TokenSpec(subject, username, roles, issuer, audience, issuedAt, expiresAt, notBefore);
	}

}
