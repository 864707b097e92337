package dev.chat.auth.profile;

import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import reactor.core.publisher.Mono;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.chat.common.docs.ChatOpenApi;
import dev.chat.common.error.ChatProblems;

/**
 * {@code GET /api/users/me}, {@code GET /api/users/{userId}} and
 * {@code GET /api/users?username=}; all need a valid token.
 */
@Tag(name = "users", description = "Profiles")
@RestController
@RequestMapping("/api/users")
class ProfileController {

	private final ProfileService profiles;

	ProfileController(ProfileService profiles) {
		this.profiles = profiles;
	}

	@Operation(summary = "The caller's profile")
	@ApiResponse(responseCode = "200", description = "The profile")
	@GetMapping("/me")
	Mono<UserView> me(@AuthenticationPrincipal Jwt jwt) {
		return profiles.me(jwt).map(UserView::of);
	}

	@Operation(summary = "Find a user by username (case-insensitive), for instance to invite them: none or one")
	@ApiResponse(responseCode = "200", description = "The user with that username, if any")
	@ApiResponse(responseCode = "400", ref = ChatOpenApi.BAD_REQUEST)
	@GetMapping(params = "username")
	Mono<UserSearch> withUsername(@Parameter(description = "The login name, 1 to 255 characters",
			example = "bob") @RequestParam String username) {
		if (username.isBlank() || username.length() > 255 || username.chars().anyMatch(Character::isISOControl)) {
			return Mono.error(ChatProblems.invalid("username", "must be 1 to 255 characters, no control characters"));
		}
		return profiles.withUsername(username)
			.map(profile -> new UserSearch(List.of(PublicUserView.of(profile))))
			.defaultIfEmpty(new UserSearch(List.of()));
	}

	/**
	 * The users found.
	 *
	 * @param items at most one: usernames are unique
	 */
	record UserSearch(List<PublicUserView> items) {
	}

	@Operation(summary = "Anyone's public fields")
	@ApiResponse(responseCode = "200", description = "The public profile")
	@ApiResponse(responseCode = "404", ref = ChatOpenApi.NOT_FOUND)
	@GetMapping("/{userId}")
	Mono<PublicUserView> user(@PathVariable String userId) {
		return profiles.find(userId).map(PublicUserView::of);
	}

}
