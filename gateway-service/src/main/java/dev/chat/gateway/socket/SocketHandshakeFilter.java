package dev.chat.gateway.socket;

import java.util.List;

import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import dev.chat.common.error.ChatProblemHandler;
import dev.chat.common.error.ErrorTypes;
import dev.chat.common.error.ProblemResponses;

/**
 * The fast way into {@code /ws}: a handshake whose token passes the same check as everywhere
 * else ({@link ReactiveJwtDecoder}, the gateway's, which remembers verified tokens) is upgraded
 * here, ahead of the security filter chain and the handler mappings, which cost more CPU than
 * the rest of opening a socket. Any handshake this filter does not accept (no token, a token
 * that fails the check, a plain GET) goes on down the ordinary chain unchanged, where security
 * refuses it with 401 problem+json exactly as before: this filter never answers a refusal itself,
 * but for one: a node that is shutting down answers every handshake with 503 problem+json, which
 * nginx ({@code proxy_next_upstream http_503}) passes on to another node, so that no client opens
 * a socket there that would be closed with 1012 a moment later, or dropped with the process.
 */
final class SocketHandshakeFilter implements WebFilter, Ordered {

	private static final String PATH = "/ws";

	private static final String BEARER = "Bearer ";

	private final ReactiveJwtDecoder decoder;

	private final WebSocketService upgrades;

	private final SocketHandler handler;

	private final SessionRegistry sessions;

	SocketHandshakeFilter(ReactiveJwtDecoder decoder, WebSocketService upgrades, SocketHandler handler,
			SessionRegistry sessions) {
		this.decoder = decoder;
		this.upgrades = upgrades;
		this.handler = handler;
		this.sessions = sessions;
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (!PATH.equals(exchange.getRequest().getPath().value())
				|| !"websocket".equalsIgnoreCase(exchange.getRequest().getHeaders().getUpgrade())) {
			return chain.filter(exchange);
		}
		if (sessions.closing()) {
			return shuttingDown(exchange);
		}
		String token = token(exchange);
		if (token == null) {
			return chain.filter(exchange);
		}
		return decoder.decode(token)
			.map(jwt -> {
				forgetAuthorizationHeader(exchange);
				return exchange.mutate().principal(Mono.just(new JwtAuthenticationToken(jwt))).build();
			})
			.onErrorResume(rejected -> Mono.empty())
			.flatMap(authenticated -> upgrades.handleRequest(authenticated, handler).thenReturn(true))
			.switchIfEmpty(Mono.defer(() -> chain.filter(exchange).thenReturn(false)))
			.then();
	}

	private static Mono<Void> shuttingDown(ServerWebExchange exchange) {
		exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, "1");
		return ProblemResponses.write(exchange, ChatProblemHandler.problem(HttpStatus.SERVICE_UNAVAILABLE,
				ErrorTypes.UNAVAILABLE, "Service unavailable", "This node is shutting down; connect again."));
	}

	/**
	 * The request's headers stay referenced for as long as the socket is open; the token in them
	 * (over a kilobyte) is the largest part, and the session keeps its own reference to the
	 * (shared, remembered) token, so the header's copy is let go.
	 */
	private static void forgetAuthorizationHeader(ServerWebExchange exchange) {
		if (ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest()) instanceof HttpServerRequest request) {
			request.requestHeaders().remove(HttpHeaders.AUTHORIZATION);
		}
	}

	/** The bearer token of the header, or of the {@code access_token} parameter (browsers); null if none or both. */
	private static String token(ServerWebExchange exchange) {
		List<String> authorization = exchange.getRequest().getHeaders().getOrEmpty(HttpHeaders.AUTHORIZATION);
		List<String> query = exchange.getRequest().getQueryParams().getOrDefault("access_token", List.of());
		if (authorization.size() + query.size() != 1) {
			return null;
		}
		if (query.size() == 1) {
			return query.get(0).isBlank() ? null : query.get(0);
		}
		String header = authorization.get(0);
		return header.regionMatches(true, 0, BEARER, 0, BEARER.length()) && header.length() > BEARER.length()
				? header.substring(BEARER.length()) : null;
	}

}
