package dev.chat.gateway.socket;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;

import dev.chat.common.events.MessageCommand;
import dev.chat.common.events.TypingEvent;
import dev.chat.gateway.GatewayProperties;

/**
 * Serves {@code /ws} (protocol v1). The handshake was already authenticated by the security
 * filter chain (no valid token, no upgrade). Frames of one connection are handled one at a
 * time, in order, so one sender's messages reach Kafka, and so the room, in send order.
 *
 * <p>
 * Tokens: when the token expires the client gets {@code error {code: token_expired}} and,
 * unless it sends {@code auth} with a fresh token of the same user within the grace period, the
 * socket is closed with 4401.
 */
@Component
class SocketHandler implements WebSocketHandler {

	private static final Logger log = LoggerFactory.getLogger(SocketHandler.class);

	private final FrameCodec codec;

	private final SessionRegistry registry;

	private final Subscriptions subscriptions;

	private final MessageServiceClient messages;

	private final InboundPublisher publisher;

	private final PresenceSignals presence;

	private final ReactiveJwtDecoder jwtDecoder;

	private final GatewayProperties.Socket limits;

	SocketHandler(FrameCodec codec, SessionRegistry registry, Subscriptions subscriptions,
			MessageServiceClient messages, InboundPublisher publisher, PresenceSignals presence,
			ReactiveJwtDecoder jwtDecoder, GatewayProperties properties) {
		this.codec = codec;
		this.registry = registry;
		this.subscriptions = subscriptions;
		this.messages = messages;
		this.publisher = publisher;
		this.presence = presence;
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
		ClientSession session = new ClientSession(socket, token.getSubject(),
				token.getClaimAsString("preferred_username"), token.getClaimAsString("sid"),
				token.getTokenValue(), token.getExpiresAt(), limits.outboundQueue(),
				new SendRate(limits.sendsPerSecond(), limits.sendBurst()));
		session.renewToken(token.getTokenValue(), token.getExpiresAt(), watchExpiry(session, token.getExpiresAt()));
		registry.add(session);
		presence.connected(session);
		log.info("socket opened connectionId={} userId={}", session.connectionId(), session.userId());

		Mono<Void> input = socket.receive()
			.doOnNext(message -> session.heard())
			.filter(message -> message.getType() == WebSocketMessage.Type.TEXT)
			.map(WebSocketMessage::getPayloadAsText)
			.concatMap(text -> receive(session, text))
			.then()
			.doFinally(signal -> session.inputEnded());
		Flux<WebSocketMessage> frames = session.outbound().map(socket::textMessage);
		Flux<WebSocketMessage> pings = Flux.interval(limits.pingInterval())
			.doOnNext(tick -> dropIfSilent(session))
			.map(tick -> socket.pingMessage(buffers -> buffers.wrap(new byte[0])));
		Mono<Void> output = socket.send(Flux.merge(frames, pings.takeUntilOther(session.outboundDone())))
			.then(Mono.defer(session::sendClose));
		return Mono.zip(input, output).then().doFinally(signal -> {
			session.closed();
			subscriptions.unsubscribeAll(session);
			registry.remove(session);
			presence.disconnected(session);
			log.info("socket closed connectionId={} userId={}", session.connectionId(), session.userId());
		});
	}

	/** A peer that answered nothing (not even a pong) for two ping intervals is gone. */
	private void dropIfSilent(ClientSession session) {
		if (session.lastHeard().plus(limits.pingInterval().multipliedBy(2)).isBefore(Instant.now())) {
			log.info("dropping a silent peer connectionId={} userId={}", session.connectionId(), session.userId());
			session.close(CloseCodes.GOING_AWAY);
		}
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
				reply(session, new ServerFrame.Pong());
				yield Mono.empty();
			}
			case ClientFrame.Auth auth -> reauthenticate(session, auth.token());
			case ClientFrame.Subscribe subscribe -> subscribe(session, subscribe);
			case ClientFrame.Unsubscribe unsubscribe -> unsubscribe(session, unsubscribe.roomId());
			case ClientFrame.Send send -> send(session, send);
			case ClientFrame.Typing typing -> typing(session, typing.roomId());
		};
	}

	/**
	 * Starts a subscription: live events are held back while the stored events after
	 * {@code sinceSeq} are replayed page by page; then the held ones newer than the replay go
	 * out, and the subscription is live (see {@link RoomSubscription}).
	 */
	private Mono<Void> subscribe(ClientSession session, ClientFrame.Subscribe subscribe) {
		String roomId = subscribe.roomId();
		String problem = SendRules.roomIdProblem(roomId);
		if (problem == null && subscribe.sinceSeq() != null && subscribe.sinceSeq() < 0) {
			problem = "sinceSeq must not be negative";
		}
		if (problem != null) {
			return protocolError(session, new ServerFrame.Error("invalid", problem, roomId));
		}
		RoomSubscription subscription = subscriptions.subscribe(session, roomId);
		session.subscribed().add(roomId);
		Mono<Void> start = subscribe.sinceSeq() == null ? messages.lastSeq(roomId, session.token())
			.doOnNext(lastSeq -> {
				confirmed(session, roomId, lastSeq);
				subscription.knownUpTo(lastSeq);
			})
			.then() : replay(session, subscription, subscribe.sinceSeq(), true);
		return start.doOnSuccess(done -> {
			session.frameAccepted();
			subscription.goLive();
		}).onErrorResume(ex -> {
			subscriptions.unsubscribe(session, roomId);
			session.subscribed().remove(roomId);
			return roomError(session, ex, roomId);
		});
	}

	private Mono<Void> replay(ClientSession session, RoomSubscription subscription, long afterSeq, boolean first) {
		String roomId = subscription.roomId();
		return messages.events(roomId, afterSeq, session.token()).flatMap(page -> {
			if (first) {
				confirmed(session, roomId, page.lastSeq());
			}
			long last = afterSeq;
			for (MessageServiceClient.StoredEvent event : page.events()) {
				subscription.replayed(event.seq(), codec.encode(event.frame()));
				last = Math.max(last, event.seq());
			}
			return page.hasMore() && last > afterSeq ? replay(session, subscription, last, false) : Mono.empty();
		});
	}

	private void confirmed(ClientSession session, String roomId, long lastSeq) {
		session.memberOf().add(roomId);
		reply(session, new ServerFrame.Subscribed(roomId, lastSeq));
		presence.subscribed(session, roomId);
	}

	private Mono<Void> unsubscribe(ClientSession session, String roomId) {
		String problem = SendRules.roomIdProblem(roomId);
		if (problem != null) {
			return protocolError(session, new ServerFrame.Error("invalid", problem, roomId));
		}
		session.frameAccepted();
		subscriptions.unsubscribe(session, roomId);
		if (session.subscribed().remove(roomId)) {
			presence.unsubscribed(session, roomId);
		}
		return Mono.empty();
	}

	/** Validates, rate-limits and authorizes, then publishes; {@code ack} only after Kafka took it. */
	private Mono<Void> send(ClientSession session, ClientFrame.Send send) {
		String problem = SendRules.sendProblem(send);
		if (problem != null) {
			return protocolError(session, new ServerFrame.Error("invalid", problem, send.clientMsgId()));
		}
		if (!session.sendRate().tryAcquire()) {
			reply(session, new ServerFrame.Error("rate_limited", "too many sends; slow down", send.clientMsgId()));
			return Mono.empty();
		}
		MessageCommand.SendMessage command = MessageCommand.SendMessage.of(send.roomId(), session.userId(),
				send.clientMsgId(), send.body());
		return member(session, send.roomId()).then(publisher.send(command)).doOnSuccess(done -> {
			session.frameAccepted();
			session.awaitEcho(send.roomId(), send.clientMsgId());
			reply(session, new ServerFrame.Ack(send.clientMsgId()));
		}).onErrorResume(ex -> roomError(session, ex, send.clientMsgId()));
	}

	private Mono<Void> typing(ClientSession session, String roomId) {
		String problem = SendRules.roomIdProblem(roomId);
		if (problem != null) {
			return protocolError(session, new ServerFrame.Error("invalid", problem, roomId));
		}
		return member(session, roomId).doOnSuccess(done -> {
			session.frameAccepted();
			Instant now = Instant.now();
			if (session.typingAllowed(roomId, now, limits.typingInterval())) {
				publisher.typing(new TypingEvent(roomId, session.userId(), now));
			}
		}).onErrorResume(ex -> roomError(session, ex, roomId));
	}

	/** Completes when the user is known to be a member of the room; asks message-service once. */
	private Mono<Void> member(ClientSession session, String roomId) {
		if (session.memberOf().contains(roomId)) {
			return Mono.empty();
		}
		return messages.lastSeq(roomId, session.token()).doOnNext(seq -> session.memberOf().add(roomId)).then();
	}

	private Mono<Void> roomError(ClientSession session, Throwable ex, String ref) {
		if (ex instanceof MessageServiceClient.RoomAccessDenied denied) {
			return protocolError(session, new ServerFrame.Error(denied.code(),
					"not_found".equals(denied.code()) ? "no such room" : "not a member of this room", ref));
		}
		log.warn("request failed connectionId={} userId={} ref={} error={}", session.connectionId(), session.userId(),
				ref, ex.toString());
		reply(session, new ServerFrame.Error("unavailable", "the server could not take this now; retry", ref));
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
			session.renewToken(jwt.getTokenValue(), jwt.getExpiresAt(), watchExpiry(session, jwt.getExpiresAt()));
			return Mono.<Void>empty();
		}).onErrorResume(ex -> protocolError(session, ServerFrame.Error.of("invalid_token", "the token was rejected")));
	}

	private Mono<Void> protocolError(ClientSession session, ServerFrame.Error error) {
		reply(session, error);
		if (session.protocolError(limits.maxProtocolErrors())) {
			session.close(CloseCodes.POLICY_VIOLATION);
		}
		return Mono.empty();
	}

	private void reply(ClientSession session, ServerFrame frame) {
		session.send(codec.encode(frame));
	}

	/** Warns at expiry, closes with 4401 after the grace period unless a fresh token arrived. */
	private Disposable watchExpiry(ClientSession session, Instant expiresAt) {
		Duration untilExpiry = Duration.between(Instant.now(), expiresAt);
		return Mono.delay(untilExpiry.isNegative() ? Duration.ZERO : untilExpiry)
			.doOnNext(tick -> reply(session, ServerFrame.Error.of("token_expired",
					"the access token expired; send auth with a fresh token within " + limits.tokenGrace().toSeconds()
							+ " s")))
			.delayElement(limits.tokenGrace())
			.filter(tick -> !session.tokenExpiresAt().isAfter(Instant.now()))
			.subscribe(tick -> session.close(CloseCodes.TOKEN_EXPIRED));
	}

}
