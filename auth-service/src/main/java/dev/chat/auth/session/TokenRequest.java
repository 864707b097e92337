package dev.chat.auth.session;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;

/**
 * A login. The limits only bound the request; whether the credentials are right is Keycloak's
 * answer alone.
 *
 * @param username the login name (case-insensitive)
 * @param password the password
 */
record TokenRequest(@Schema(example = "alice") @NotBlank @Size(max = 255) String username,
		@Schema(example = "alice-pass") @NotEmpty @Size(max = 1024) String password) {

	@Override
	public String toString() {
		return "TokenRequest[username=" + username + ", password=***]";
	}

}
