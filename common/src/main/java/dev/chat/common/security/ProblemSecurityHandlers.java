package dev.chat.common.security;

import java.net.URI;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.BearerTokenError;
import org.springframework.security.oauth2.server.resource.BearerTokenErrorCodes;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.web.server.ServerWebExchange;

import dev.chat.common.error.ChatProblemHandler;
import dev.chat.common.error.ErrorTypes;
import dev.chat.common.error.ProblemResponses;
import dev.chat.common.metrics.ChatMeters;

/**
 * 401 and 403 as problem+json, with the {@code WWW-Authenticate} challenge of RFC 6750, and 400
 * for a request the security firewall refuses (an encoded control character or a traversal in
 * the path, an illegal header), which Spring Security would answer with an empty body. The detail
 * never echoes the token or the refused part of the request. Each refusal of an identity counts
 * in {@code chat.auth.failures} by reason ({@code missing-token}, {@code invalid-token},
 * {@code forbidden}): a rise of invalid tokens is a client with a stale key set, a clock off, or
 * someone trying tokens.
 */
public final class ProblemSecurityHandlers
		implements ServerAuthenticationEntryPoint, ServerAccessDeniedHandler, ServerExchangeRejectedHandler {

	private final Counter missingToken;

	private final Counter invalidToken;

	private final Counter forbidden;

	/** Counts nowhere (tests, or a service without a meter registry). */
	public ProblemSecurityHandlers() {
		this(new CompositeMeterRegistry());
	}

	public ProblemSecurityHandlers(MeterRegistry registry) {
		this.missingToken = failures(registry, "missing-token");
		this.invalidToken = failures(registry, "invalid-token");
		this.forbidden = failures(registry, "forbidden");
	}

	private static Counter failures(MeterRegistry registry, String reason) {
		return Counter.builder(ChatMeters.AUTH_FAILURES)
			.description("Requests refused for want of a valid identity")
			.tag("reason", reason)
			.register(registry);
	}

	@Override
	public Mono<Void> commence(ServerWebExchange exchange, AuthenticationException ex) {
		String challenge = "Bearer realm=\"chat\"";
		String detail = "A valid bearer token is required.";
		Counter reason = missingToken;
		if (ex instanceof OAuth2AuthenticationException oauth && oauth.getError() instanceof BearerTokenError error) {
			challenge += ", error=\"" + error.getErrorCode() + "\"";
			if (BearerTokenErrorCodes.INVALID_TOKEN.equals(error.getErrorCode())) {
				challenge += ", error_description=\"The access token is invalid or expired\"";
				detail = "The access token is invalid or expired.";
				reason = invalidToken;
			}
		}
		reason.increment();
		return write(exchange, HttpStatus.UNAUTHORIZED, challenge, ErrorTypes.UNAUTHORIZED,
				"Unauthorized", detail);
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, AccessDeniedException denied) {
		forbidden.increment();
		return write(exchange, HttpStatus.FORBIDDEN, "Bearer realm=\"chat\", error=\"insufficient_scope\"",
				ErrorTypes.FORBIDDEN, "Forbidden", "The token does not allow this request.");
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, ServerExchangeRejectedException rejected) {
		return ProblemResponses.write(exchange, ChatProblemHandler.rejectedRequest());
	}

	private Mono<Void> write(ServerWebExchange exchange, HttpStatus status, String challenge, URI type, String title,
			String detail) {
		exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, challenge);
		return ProblemResponses.write(exchange, ChatProblemHandler.problem(status, type, title, detail));
	}

}
