package dev.chat.gateway.socket;

import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.server.WebFilterChain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;

class SocketHandshakeFilterTests {

	private final ReactiveJwtDecoder decoder = mock(ReactiveJwtDecoder.class);

	private final SessionRegistry sessions = new SessionRegistry();

	private final SocketHandshakeFilter filter = new SocketHandshakeFilter(decoder, mock(WebSocketService.class),
			mock(SocketHandler.class), sessions);

	private final AtomicBoolean passedOn = new AtomicBoolean();

	private final WebFilterChain chain = exchange -> {
		passedOn.set(true);
		return Mono.empty();
	};

	@Test
	void aNodeShuttingDownRefusesEveryHandshakeWith503SoThatNginxTriesTheNextNode() {
		sessions.startClosing();
		MockServerWebExchange exchange = MockServerWebExchange.from(handshake().header(HttpHeaders.AUTHORIZATION,
				"Bearer any"));

		filter.filter(exchange, chain).block();

		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(exchange.getResponse().getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(exchange.getResponse().getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
		assertThat(exchange.getResponse().getBodyAsString().block()).contains("\"status\":503")
			.contains("urn:chat:problem:unavailable")
			.contains("shutting down");
		assertThat(passedOn).isFalse();
		verifyNoInteractions(decoder);
	}

	@Test
	void aRunningNodePassesAHandshakeWithoutATokenOnToSecurity() {
		MockServerWebExchange exchange = MockServerWebExchange.from(handshake());

		filter.filter(exchange, chain).block();

		assertThat(passedOn).isTrue();
		assertThat(exchange.getResponse().getStatusCode()).isNull();
	}

	private static MockServerHttpRequest.BaseBuilder<?> handshake() {
		return MockServerHttpRequest.get("/ws").header(HttpHeaders.UPGRADE, "websocket").header(HttpHeaders.CONNECTION,
				"Upgrade");
	}

}
