package dev.chat.gateway.socket;

import java.util.Map;
import java.util.function.Supplier;

import io.micrometer.observation.ObservationPredicate;
import io.netty.channel.Channel;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.http.server.WebsocketServerSpec;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.HandshakeInfo;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import org.springframework.web.reactive.socket.server.upgrade.ReactorNettyRequestUpgradeStrategy;
import org.springframework.web.server.ServerWebExchange;

/**
 * Maps {@code /ws} ahead of the gateway's route matching (and, for a handshake with a valid
 * token, ahead of everything: {@link SocketHandshakeFilter}), and upgrades it so that the handler
 * gets the connection's Netty channel: the outbound path writes encoded frames to it directly
 * (see {@link ClientSession}). Per-message compression stays off: the fan-out writes frames
 * encoded once, which compression per socket would undo.
 */
@Configuration(proxyBeanMethods = false)
class SocketConfiguration implements WebFluxConfigurer {

	@Bean
	HandlerMapping socketHandlerMapping(SocketHandler handler) {
		return new SimpleUrlHandlerMapping(Map.of("/ws", handler), Ordered.HIGHEST_PRECEDENCE);
	}

	private final WebSocketService upgrades = new HandshakeWebSocketService(new ChannelAwareUpgrade());

	@Override
	public WebSocketService getWebSocketService() {
		return upgrades;
	}

	@Bean
	SocketHandshakeFilter socketHandshakeFilter(ReactiveJwtDecoder decoder, SocketHandler handler,
			SessionRegistry sessions) {
		return new SocketHandshakeFilter(decoder, upgrades, handler, sessions);
	}

	/**
	 * No observation (metrics, traces) of the handshake request itself: it lives as long as the
	 * socket, so its duration says nothing, and observing it cost a tenth of opening a socket.
	 * Sockets have metrics of their own.
	 */
	@Bean
	ObservationPredicate noHandshakeObservations() {
		return (name, context) -> !(context instanceof ServerRequestObservationContext request
				&& "/ws".equals(request.getCarrier().getPath().value()));
	}

	/** Hands {@link SocketHandler} the channel of the request it upgrades. */
	static final class ChannelAwareUpgrade extends ReactorNettyRequestUpgradeStrategy {

		ChannelAwareUpgrade() {
			super(() -> WebsocketServerSpec.builder().compress(false).maxFramePayloadLength(FrameCodec.MAX_FRAME_CHARS * 4));
		}

		@Override
		public Mono<Void> upgrade(ServerWebExchange exchange, WebSocketHandler handler, String subProtocol,
				Supplier<HandshakeInfo> handshakeInfoFactory) {
			if (handler instanceof SocketHandler sockets
					&& ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest()) instanceof Connection connection) {
				Channel channel = connection.channel();
				return super.upgrade(exchange, session -> sockets.handle(session, channel), subProtocol,
						handshakeInfoFactory);
			}
			return super.upgrade(exchange, handler, subProtocol, handshakeInfoFactory);
		}

	}

}
