package dev.chat.auth.profile;

import reactor.core.publisher.Mono;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/users/me} and {@code GET /api/users/{userId}}; both need a valid token. */
@RestController
@RequestMapping("/api/users")
class ProfileController {

	private final ProfileService profiles;

	ProfileController(ProfileService profiles) {
		this.profiles = profiles;
	}

	@GetMapping("/me")
	Mono<UserView> me(@AuthenticationPrincipal Jwt jwt) {
		return profiles.me(jwt).map(UserView::of);
	}

	@GetMapping("/{userId}")
	Mono<PublicUserView> user(@PathVariable String userId) {
		return profiles.find(userId).map(PublicUserView::of);
	}

}
