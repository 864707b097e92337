package dev.chat.auth.profile;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import reactor.core.publisher.Mono;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.chat.common.docs.ChatOpenApi;

/** {@code GET /api/users/me} and {@code GET /api/users/{userId}}; both need a valid token. */
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

	@Operation(summary = "Anyone's public fields")
	@ApiResponse(responseCode = "200", description = "The public profile")
	@ApiResponse(responseCode = "404", ref = ChatOpenApi.NOT_FOUND)
	@GetMapping("/{userId}")
	Mono<PublicUserView> user(@PathVariable String userId) {
		return profiles.find(userId).map(PublicUserView::of);
	}

}
