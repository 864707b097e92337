package dev.chat.auth.registration;

import java.net.URI;

import jakarta.validation.Valid;
import reactor.core.publisher.Mono;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import dev.chat.auth.profile.UserView;

/** {@code POST /api/auth/register}, public: 201 with the new user. */
@RestController
class RegistrationController {

	private final RegistrationService registrations;

	RegistrationController(RegistrationService registrations) {
		this.registrations = registrations;
	}

	@PostMapping("/api/auth/register")
	Mono<ResponseEntity<UserView>> register(@Valid @RequestBody RegistrationRequest request) {
		return registrations.register(request)
			.map(profile -> ResponseEntity.created(URI.create("/api/users/" + profile.id()))
				.body(UserView.of(profile)));
	}

}
