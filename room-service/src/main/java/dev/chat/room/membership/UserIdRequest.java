package dev.chat.room.membership;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * The body of an invitation and of a hand-over: the user concerned.
 *
 * @param userId a Keycloak user id (the {@code sub} of the user's tokens), a UUID in its
 * canonical lowercase form
 */
record UserIdRequest(
		@Schema(example = "2b1e6f0a-7c1d-4e8a-9d2f-5a6b7c8d9e0f")
		@NotNull @Pattern(regexp = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
				message = "must be a user id (a lowercase UUID)") String userId) {

}
