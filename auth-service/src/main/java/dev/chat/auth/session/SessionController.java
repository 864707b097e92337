package dev.chat.auth.session;

import jakarta.validation.Valid;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/auth/token}, {@code /refresh} and {@code /logout}, all public. Token responses
 * are Keycloak's, unchanged, and never cached (RFC 6749 section 5.1).
 */
@RestController
@RequestMapping("/api/auth")
class SessionController {

	private final SessionService sessions;

	SessionController(SessionService sessions) {
		this.sessions = sessions;
	}

	@PostMapping("/token")
	Mono<ResponseEntity<JsonNode>> token(@Valid @RequestBody TokenRequest request) {
		return sessions.login(request.username(), request.password()).map(SessionController::noStore);
	}

	@PostMapping("/refresh")
	Mono<ResponseEntity<JsonNode>> refresh(@Valid @RequestBody RefreshTokenRequest request) {
		return sessions.refresh(request.refresh_token()).map(SessionController::noStore);
	}

	@PostMapping("/logout")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	Mono<Void> logout(@Valid @RequestBody RefreshTokenRequest request) {
		return sessions.logout(request.refresh_token());
	}

	private static ResponseEntity<JsonNode> noStore(JsonNode tokens) {
		return ResponseEntity.ok().cacheControl(CacheControl.noStore()).header("Pragma", "no-cache").body(tokens);
	}

}
