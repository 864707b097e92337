package dev.chat.auth.session;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * A refresh or logout request.
 *
 * @param refresh_token the refresh token of the session; named as in OAuth's token response, so
 * that clients send back the field they received, and validation errors name it the same way;
 * at most 4,000 characters: Keycloak drops a form value of 4,096 or more as if it were absent
 * (its own refresh tokens are JWTs of about a kilobyte)
 */
record RefreshTokenRequest(
		@Schema(example = "eyJhbGciOiJIUzUxMiIs...") @NotBlank @Size(max = 4000) String refresh_token) {

	@Override
	public String toString() {
		return "RefreshTokenRequest[refresh_token=***]";
	}

}
