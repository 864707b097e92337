package dev.chat.gateway.socket;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;

import dev.chat.gateway.GatewayProperties;

/**
 * Serves {@code /ws}. The handshake was already authenticated by the security filter chain
 * (no valid token, no upgrade); this handler keeps the connection honest afterwards: when the
 * token expires the client gets {@code error {code: token_expired}} and, unless it sends
 * {@code auth} with a fresh token of the same user within the grace period, the socket is
 * closed with 4401.
 */
@Component
class SocketHandler implements WebSocketHandler {

	private static final Logger log = LoggerFactory.getLogger(SocketHandler.class);

	private final FrameCodec codec;

	private final SessionRegistry registry;

	private final ReactiveJwtDecoder jwtDecoder;

	private final GatewayProperties.Socket limits;

	SocketHandler(FrameCodec codec, SessionRegistry registry, ReactiveJwtDecoder jwtDecoder,
			GatewayProperties properties) {
		this.codec = codec;
		this.registry = registry;
		this.jwtDecoder = jwtDecoder;
		this.limits = properties.socket();
	}

	@Override
	public Mono<Void> handle(WebSocketSession socket) {
		return socket.getHandshakeInfo()
			.getPrincipal()
			.cast(JwtAuthenticationToken.class)
			.flatMap(authentication -> serve(socket, authentication.getToken()));
	}

	private Mono<Void> serve(WebSocketSession socket, Jwt token) {
		ClientSession session = new ClientSession(socket, token.getSubject(), token.getClaimAsString("sid"),
				token.getExpiresAt(), limits.outboundQueue());
		session.renewToken(token.getExpiresAt(), watchExpiry(session, token.getExpiresAt()));
		registry.add(session);
		log.info("socket opened connectionId={} userId={}", session.connectionId(), session.userId());

		Mono<Void> input = socket.receive()
			.filter(message -> message.getType() == WebSocketMessage.Type.TEXT)
			.map(WebSocketMessage::getPayloadAsText)
			.concatMap(text -> receive(session, text))
			.then()
			.doFinally(signal -> session.inputEnded());
		Mono<Void> output = socket.send(session.outbound().map(frame -> socket.textMessage(codec.encode(frame))))
			.then(Mono.defer(session::sendClose));
		return Mono.zip(input, output).then().doFinally(signal -> {
			session.closed();
			registry.remove(session);
			log.info("socket closed connectionId={} userId={}", session.connectionId(), session.userId());
		});
	}

	private Mono<Void> receive(ClientSession session, String text) {
		return switch (codec.decode(text)) {
			case FrameCodec.Rejected(ServerFrame.Error error) -> protocolError(session, error);
			case FrameCodec.Accepted(ClientFrame frame) -> handle(session, frame);
		};
	}

	private Mono<Void> handle(ClientSession session, ClientFrame frame) {
		return switch (frame) {
			case ClientFrame.Ping ping -> {
				session.frameAccepted();
				session.send(new ServerFrame.Pong());
				yield Mono.empty();
			}
			case ClientFrame.Auth auth -> reauthenticate(session, auth.token());
			case ClientFrame.Subscribe subscribe -> unsupported(session, subscribe.roomId());
			case ClientFrame.Unsubscribe unsubscribe -> unsupported(session, unsubscribe.roomId());
			case ClientFrame.Send send -> unsupported(session, send.clientMsgId());
			case ClientFrame.Typing typing -> unsupported(session, typing.roomId());
		};
	}

	private Mono<Void> unsupported(ClientSession session, String ref) {
		session.send(new ServerFrame.Error("unsupported", "not available on this server yet", ref));
		return Mono.empty();
	}

	/** Checks a fresh token fully (signature, issuer, audience, expiry) and that it is the same user's. */
	private Mono<Void> reauthenticate(ClientSession session, String token) {
		if (token == null || token.isBlank()) {
			return protocolError(session, ServerFrame.Error.of("invalid", "auth needs a token"));
		}
		return jwtDecoder.decode(token).flatMap(jwt -> {
			if (!Objects.equals(jwt.getSubject(), session.userId())) {
				return protocolError(session, ServerFrame.Error.of("invalid_token", "the token is another user's"));
			}
			session.frameAccepted();
			session.renewToken(jwt.getExpiresAt(), watchExpiry(session, jwt.getExpiresAt()));
			return Mono.<Void>empty();
		}).onErrorResume(ex -> protocolError(session, ServerFrame.Error.of("invalid_token", "the token was rejected")));
	}

	private Mono<Void> protocolError(ClientSession session, ServerFrame.Error error) {
		session.send(error);
		if (session.protocolError(limits.maxProtocolErrors())) {
			session.close(CloseCodes.POLICY_VIOLATION);
		}
		return Mono.empty();
	}

	/** Warns at expiry, closes with 4401 after the grace period unless a fresh token arrived. */
	private Disposable watchExpiry(ClientSession session, Instant expiresAt) {
		Duration untilExpiry = Duration.between(Instant.now(), expiresAt);
		return Mono.delay(untilExpiry.isNegative() ? Duration.ZERO : untilExpiry)
			.doOnNext(tick -> session.send(ServerFrame.Error.of("token_expired",
					"the access token expired; send auth with a fresh token within " + limits.tokenGrace().toSeconds()
							+ " s")))
			.delayElement(limits.tokenGrace())
			.filter(tick -> !session.tokenExpiresAt().isAfter(Instant.now()))
			.subscribe(tick -> session.close(CloseCodes.TOKEN_EXPIRED));
	}

}
