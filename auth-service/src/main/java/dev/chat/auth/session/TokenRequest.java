package dev.chat.auth.session;

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
record TokenRequest(@NotBlank @Size(max = 255) String username, @NotEmpty @Size(max = 1024) String password) {

	@Override
	public String toString() {
		return "TokenRequest[username=" + username + ", password=***]";
	}

}
