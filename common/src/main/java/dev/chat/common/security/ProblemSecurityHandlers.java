package dev.chat.common.security;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.BearerTokenError;
import org.springframework.security.oauth2.server.resource.BearerTokenErrorCodes;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.web.server.ServerWebExchange;

import dev.chat.common.error.ErrorTypes;

/**
 * 401 and 403 as problem+json, with the {@code WWW-Authenticate} challenge of RFC 6750. The
 * detail never echoes the token.
 */
public final class ProblemSecurityHandlers implements ServerAuthenticationEntryPoint, ServerAccessDeniedHandler {

	private final JsonMapper json = JsonMapper.builder().build();

	@Override
	public Mono<Void> commence(ServerWebExchange exchange, AuthenticationException ex) {
		String challenge = "Bearer realm=\"chat\"";
		String detail = "A valid bearer token is required.";
		if (ex instanceof OAuth2AuthenticationException oauth && oauth.getError() instanceof BearerTokenError error) {
			challenge += ", error=\"" + error.getErrorCode() + "\"";
			if (BearerTokenErrorCodes.INVALID_TOKEN.equals(error.getErrorCode())) {
				challenge += ", error_description=\"The access token is invalid or expired\"";
				detail = "The access token is invalid or expired.";
			}
		}
		return write(exchange, HttpStatus.UNAUTHORIZED, challenge, ErrorTypes.UNAUTHORIZED.toString(),
				"Unauthorized", detail);
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, AccessDeniedException denied) {
		return write(exchange, HttpStatus.FORBIDDEN, "Bearer realm=\"chat\", error=\"insufficient_scope\"",
				ErrorTypes.FORBIDDEN.toString(), "Forbidden", "The token does not allow this request.");
	}

	private Mono<Void> write(ServerWebExchange exchange, HttpStatus status, String challenge, String type,
			String title, String detail) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("type", type);
		body.put("title", title);
		body.put("status", status.value());
		body.put("detail", detail);
		body.put("instance", exchange.getRequest().getPath().value());
		var response = exchange.getResponse();
		response.setStatusCode(status);
		response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, challenge);
		response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		DataBuffer buffer = response.bufferFactory()
			.wrap(json.writeValueAsString(body).getBytes(StandardCharsets.UTF_8));
		return response.writeWith(Mono.just(buffer));
	}

}
