package dev.chat.auth.registration;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * A registration. Checked before anything is created, so an invalid request leaves no trace in
 * Keycloak or Mongo.
 *
 * <p>
 * Lengths of the free-text fields count code points, not UTF-16 units, so an emoji is one
 * character; control characters and line separators are refused because these values end up in
 * logs, headers of other systems and other users' screens.
 *
 * @param username 3 to 32 of {@code a-z A-Z 0-9 . _ -}; stored lower-cased, as Keycloak does
 * @param password 8 to 128 characters, no control characters
 * @param email an email address, optional
 * @param displayName at most 64 characters, optional; the username when absent or blank
 */
record RegistrationRequest(
		@Schema(example = "dave") @NotNull @Size(min = 3, max = 32) @Pattern(regexp = "^[a-zA-Z0-9._-]*$",
				message = "must contain only letters, digits, '.', '_' and '-'") String username,
		@Schema(example = "dave-pass-123") @NotNull
		@Pattern(regexp = "^[\\s\\S]{8,128}$", message = "must be 8 to 128 characters long") @Pattern(
				regexp = NO_CONTROL_CHARACTERS, message = "must not contain control characters") String password,
		@Schema(example = "dave@example.com") @Email @Size(max = 254) @Pattern(regexp = NO_CONTROL_CHARACTERS,
				message = "must not contain control characters") String email,
		@Schema(example = "Dave")
		@Pattern(regexp = "^[\\s\\S]{0,64}$", message = "must be at most 64 characters long") @Pattern(
				regexp = NO_CONTROL_CHARACTERS, message = "must not contain control characters") String displayName) {

	// Spelled as ranges, not \p{Cc}, so that the OpenAPI document's pattern means the same in
	// every regex dialect (JSON Schema's is ECMA 262): C0, DEL and C1 controls, line and paragraph separators.
	static final String NO_CONTROL_CHARACTERS = "^[^\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029]*$";

	@Override
	public String toString() {
		return "RegistrationRequest[username=" + username + ", password=***, email=" + email + ", displayName="
				+ displayName + "]";
	}

}
