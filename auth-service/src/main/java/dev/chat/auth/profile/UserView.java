package dev.chat.auth.profile;

import java.time.Instant;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A user's own profile, as answered to registration and {@code GET /api/users/me}.
 *
 * @param id the user id ({@code sub} of the user's tokens)
 * @param username the login name, lower-cased
 * @param email the email address, or null
 * @param displayName the name to show
 * @param createdAt when the profile was created
 */
public record UserView(String id, String username, @Schema(types = { "string", "null" }) String email, String displayName, Instant createdAt) {

	public static UserView of(Profile profile) {
		return new UserView(profile.id(), profile.username(), profile.email(), profile.displayName(),
				profile.createdAt());
	}

}
