package dev.chat.auth.registration;

import java.net.URI;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import reactor.core.publisher.Mono;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import dev.chat.auth.profile.UserView;
import dev.chat.common.docs.ChatOpenApi;

/** {@code POST /api/auth/register}, public: 201 with the new user. */
@Tag(name = "auth", description = "Register, obtain, refresh and end sessions (no token needed)")
@RestController
class RegistrationController {

	private final RegistrationService registrations;

	RegistrationController(RegistrationService registrations) {
		this.registrations = registrations;
	}

	@Operation(summary = "Create a user in Keycloak and a profile")
	@ApiResponse(responseCode = "201", description = "Created; `Location` names the profile")
	@ApiResponse(responseCode = "409", ref = ChatOpenApi.CONFLICT, description = "The username or email is taken")
	@ApiResponse(responseCode = "503", ref = ChatOpenApi.UNAVAILABLE)
	@PostMapping("/api/auth/register")
	Mono<ResponseEntity<UserView>> register(@Valid @RequestBody RegistrationRequest request) {
		return registrations.register(request)
			.map(profile -> ResponseEntity.created(URI.create("/api/users/" + profile.id()))
				.body(UserView.of(profile)));
	}

}
