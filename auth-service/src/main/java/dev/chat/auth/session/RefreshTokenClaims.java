package dev.chat.auth.session;

import java.util.Base64;
import java.util.Optional;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The user and session a Keycloak refresh token names ({@code sub}, {@code sid}).
 *
 * <p>
 * Read without checking the signature: refresh tokens are signed with the realm's secret HMAC
 * key, which only Keycloak holds. The claims may be trusted only after Keycloak has accepted the
 * token (for logout: once the logout call succeeded).
 *
 * @param userId the {@code sub} claim
 * @param sessionId the {@code sid} claim
 */
record RefreshTokenClaims(String userId, String sessionId) {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** The claims, or empty when the value is not a JWT carrying both. */
	static Optional<RefreshTokenClaims> read(String token) {
		String[] parts = token.split("\\.", -1);
		if (parts.length != 3) {
			return Optional.empty();
		}
		try {
			JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
			String sub = claims.path("sub").isString() ? claims.path("sub").asString() : null;
			String sid = claims.path("sid").isString() ? claims.path("sid").asString() : null;
			if (sub == null || sub.isBlank() || sid == null || sid.isBlank()) {
				return Optional.empty();
			}
			return Optional.of(new RefreshTokenClaims(sub, sid));
		}
		catch (IllegalArgumentException | JacksonException malformed) {
			return Optional.empty();
		}
	}

}
