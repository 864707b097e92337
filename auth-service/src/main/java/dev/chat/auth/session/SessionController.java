package dev.chat.auth.session;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
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

import dev.chat.common.docs.ChatOpenApi;

/**
 * {@code POST /api/auth/token}, {@code /refresh} and {@code /logout}, all public. Token responses
 * are Keycloak's, unchanged, and never cached (RFC 6749 section 5.1).
 */
@Tag(name = "auth")
@RestController
@RequestMapping("/api/auth")
class SessionController {

	private static final String TOKEN_EXAMPLE = """
			{"access_token": "eyJhbGciOiJSUzI1NiIs...", "expires_in": 300, "refresh_expires_in": 1800,
			 "refresh_token": "eyJhbGciOiJIUzUxMiIs...", "token_type": "Bearer", "session_state": "5f0c...",
			 "scope": "profile email"}""";

	private final SessionService sessions;

	SessionController(SessionService sessions) {
		this.sessions = sessions;
	}

	@Operation(summary = "Log in with username and password")
	@ApiResponse(responseCode = "200", description = "Keycloak's OAuth 2.0 token response, unchanged (never cached)",
			content = @Content(mediaType = "application/json",
					schema = @Schema(type = "object", description = "RFC 6749 section 5.1"),
					examples = @ExampleObject(value = TOKEN_EXAMPLE)))
	@ApiResponse(responseCode = "401", ref = ChatOpenApi.UNAUTHORIZED, description = "Bad credentials")
	@ApiResponse(responseCode = "429", ref = ChatOpenApi.TOO_MANY_REQUESTS, description = "Locked after failed logins")
	@ApiResponse(responseCode = "503", ref = ChatOpenApi.UNAVAILABLE)
	@PostMapping("/token")
	Mono<ResponseEntity<JsonNode>> token(@Valid @RequestBody TokenRequest request) {
		return sessions.login(request.username(), request.password()).map(SessionController::noStore);
	}

	@Operation(summary = "New tokens for a refresh token")
	@ApiResponse(responseCode = "200", description = "Keycloak's OAuth 2.0 token response, unchanged (never cached)",
			content = @Content(mediaType = "application/json",
					schema = @Schema(type = "object", description = "RFC 6749 section 5.1"),
					examples = @ExampleObject(value = TOKEN_EXAMPLE)))
	@ApiResponse(responseCode = "401", ref = ChatOpenApi.UNAUTHORIZED,
			description = "The refresh token is invalid or its session ended")
	@ApiResponse(responseCode = "503", ref = ChatOpenApi.UNAVAILABLE)
	@PostMapping("/refresh")
	Mono<ResponseEntity<JsonNode>> refresh(@Valid @RequestBody RefreshTokenRequest request) {
		return sessions.refresh(request.refresh_token()).map(SessionController::noStore);
	}

	@Operation(summary = "End the session of a refresh token; its sockets close with 4403")
	@ApiResponse(responseCode = "204", description = "Ended")
	@ApiResponse(responseCode = "401", ref = ChatOpenApi.UNAUTHORIZED, description = "The refresh token is invalid")
	@ApiResponse(responseCode = "503", ref = ChatOpenApi.UNAVAILABLE)
	@PostMapping("/logout")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	Mono<Void> logout(@Valid @RequestBody RefreshTokenRequest request) {
		return sessions.logout(request.refresh_token());
	}

	private static ResponseEntity<JsonNode> noStore(JsonNode tokens) {
		return ResponseEntity.ok().cacheControl(CacheControl.noStore()).header("Pragma", "no-cache").body(tokens);
	}

}
