package dev.chat.gateway.socket;

import java.time.Instant;
import java.util.Objects;
import java.util.function.Consumer;

import io.micrometer.observation.Observation;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.netty.channel.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

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
 * socket is closed with 4401 ({@link SessionSweep}).
 *
 * <p>
 * Shutdown: every frame received is answered before the socket closes with 1012 (see
 * {@link SocketShutdown}). A send or subscribe handled after the drain began is refused with
 * {@code unavailable}: answered at once, it holds the socket open no longer, and the client does
 * it again on the node it reconnects to.
 */
@Component
class SocketHandler implements WebSocketHandler {

	private static final Logger log = LoggerFactory.getLogger(SocketHandler.class);

	private final FrameCodec codec;

	private final SessionRegistry registry;

	private final Subscriptions subscriptions;

	private final SubscribeHandler subscribing;

	private final Memberships memberships;

	private final MessageServiceClient messages;

	private final InboundPublisher publisher;

	private final PresenceSignals presence;

	private final ReactiveJwtDecoder jwtDecoder;

	private final SocketReplies replies;

	private final GatewayProperties.Socket limits;

	private final ClientSession.Limits sessionLimits;

	private final SocketMetrics metrics;

	private final SocketTracing tracing;

	SocketHandler(FrameCodec codec, SessionRegistry registry, Subscriptions subscriptions,
			SubscribeHandler subscribing, Memberships memberships, MessageServiceClient messages,
			InboundPublisher publisher, PresenceSignals presence, ReactiveJwtDecoder jwtDecoder, SocketReplies replies,
			GatewayProperties properties, SocketMetrics metrics, SocketTracing tracing) {
		this.metrics = metrics;
		this.codec = codec;
		this.registry = registry;
		this.subscriptions = subscriptions;
		this.subscribing = subscribing;
		this.memberships = memberships;
		this.messages = messages;
		this.publisher = publisher;
		this.presence = presence;
		this.jwtDecoder = jwtDecoder;
		this.replies = replies;
		this.limits = properties.socket();
		this.sessionLimits = new ClientSession.Limits(limits.outboundQueue(), limits.outboundBuffer().toBytes(),
				limits.sendsPerSecond(), limits.sendBurst());
		this.tracing = tracing;
	}

	/** Only through {@link SocketConfiguration}'s upgrade, which knows the channel. */
	@Override
	public Mono<Void> handle(WebSocketSession socket) {
		return Mono.error(new IllegalStateException("/ws must be upgraded by SocketConfiguration"));
	}

	Mono<Void> handle(WebSocketSession socket, Channel channel) {
		return socket.getHandshakeInfo()
			.getPrincipal()
			.cast(JwtAuthenticationToken.class)
			.flatMap(authentication -> serve(socket, channel, authentication.getToken()));
	}

	private Mono<Void> serve(WebSocketSession socket, Channel channel, Jwt token) {
		ClientSession session = new ClientSession(socket, channel, token.getSubject(),
				token.getClaimAsString("preferred_username"), token.getClaimAsString("sid"), token.getTokenValue(),
				token.getExpiresAt(), sessionLimits);
		registry.add(session);
		presence.connected(session);
		log.debug("socket opened connectionId={} userId={}", session.connectionId(), session.userId());
		// One frame at a time, in order. (With a prefetch of 1 instead of the default, a socket whose
		// send completed on Kafka's thread was closed with 1005 after its first ack.)
		// Frames count from their arrival, so that a node shutting down answers the ones queued
		// behind a slow send too before it closes the socket (see ClientSession#drain).
		Consumer<SignalType> handled = signal -> session.frameHandled();
		return socket.receive().doOnNext(message -> session.frameReceived()).concatMap(message -> {
			session.heard();
			Mono<Void> handling = message.getType() == WebSocketMessage.Type.TEXT
					? receive(session, message.getPayloadAsText()) : Mono.<Void>empty();
			if (handling == Mono.<Void>empty()) {
				// Answered already (most frames are): no operator per frame to learn when it ends.
				session.frameHandled();
				return handling;
			}
			return handling.doFinally(handled);
		})
			.then()
			.doFinally(signal -> {
				session.closed();
				subscriptions.unsubscribeAll(session);
				registry.remove(session);
				presence.disconnected(session);
				log.debug("socket closed connectionId={} userId={}", session.connectionId(), session.userId());
			});
	}

	private Mono<Void> receive(ClientSession session, String text) {
		return switch (codec.decode(text)) {
			case FrameCodec.Rejected(ServerFrame.Error error) -> {
				metrics.receivedInvalid();
				yield replies.protocolError(session, error);
			}
			case FrameCodec.Accepted(ClientFrame frame) -> {
				metrics.received(frame);
				yield handle(session, frame);
			}
		};
	}

	private Mono<Void> handle(ClientSession session, ClientFrame frame) {
		return switch (frame) {
			case ClientFrame.Ping ping -> {
				session.frameAccepted();
				replies.reply(session, new ServerFrame.Pong());
				yield Mono.empty();
			}
			case ClientFrame.Auth auth -> reauthenticate(session, auth.token());
			case ClientFrame.Subscribe subscribe -> subscribing.subscribe(session, subscribe);
			case ClientFrame.Unsubscribe unsubscribe -> subscribing.unsubscribe(session, unsubscribe.roomId());
			case ClientFrame.Send send -> send(session, send);
			case ClientFrame.Typing typing -> typing(session, typing.roomId());
		};
	}

	/** Validates, rate-limits and authorizes, then publishes; {@code ack} only after Kafka took it. */
	private Mono<Void> send(ClientSession session, ClientFrame.Send send) {
		String problem = SendRules.sendProblem(send);
		if (problem != null) {
			return replies.protocolError(session, new ServerFrame.Error("invalid", problem, send.clientMsgId()));
		}
		if (session.draining()) {
			// Refused at once rather than taken: a write to Kafka now could outlast the drain and lose
			// its ack; nothing was written, so the client's retry on another node is the only copy.
			replies.reply(session, new ServerFrame.Error("unavailable",
					"this node is shutting down; reconnect and send again with the same clientMsgId",
					send.clientMsgId()));
			return Mono.empty();
		}
		long retryAfterMs = session.trySend();
		if (retryAfterMs > 0) {
			metrics.rateLimited();
			replies.reply(session, ServerFrame.Error.rateLimited("too many sends; slow down", send.clientMsgId(),
					retryAfterMs));
			return Mono.empty();
		}
		MessageCommand.SendMessage command = MessageCommand.SendMessage.of(send.roomId(), session.userId(),
				send.clientMsgId(), send.body());
		// The span of the send, from here to its answer: the membership question (WebClient) and
		// the Kafka write find it in the Reactor context, and the record carries its traceparent.
		Observation observation = tracing.send(send.roomId());
		// The echo is awaited before the write: a retried send is answered from the store, and
		// that answer can reach this node before Kafka's acknowledgement reaches this session.
		return member(session, send.roomId()).then(Mono.defer(() -> {
			session.awaitEcho(send.roomId(), send.clientMsgId());
			return publisher.send(command);
		})).doOnSuccess(done -> {
			session.frameAccepted();
			replies.reply(session, new ServerFrame.Ack(send.clientMsgId()));
		}).onErrorResume(ex -> {
			observation.error(ex);
			session.forgetEcho(send.roomId(), send.clientMsgId());
			return replies.roomError(session, ex, send.clientMsgId());
		})
			.doFinally(signal -> observation.stop())
			.contextWrite(context -> context.put(ObservationThreadLocalAccessor.KEY, observation));
	}

	private Mono<Void> typing(ClientSession session, String roomId) {
		String problem = SendRules.roomIdProblem(roomId);
		if (problem != null) {
			return replies.protocolError(session, new ServerFrame.Error("invalid", problem, roomId));
		}
		return member(session, roomId).doOnSuccess(done -> {
			session.frameAccepted();
			Instant now = Instant.now();
			if (session.typingAllowed(roomId, now, limits.typingInterval())) {
				publisher.typing(new TypingEvent(roomId, session.userId(), now));
			}
		}).onErrorResume(ex -> replies.roomError(session, ex, roomId));
	}

	/** Completes when the user is known to be a member of the room; asks message-service when this node does not know. */
	private Mono<Void> member(ClientSession session, String roomId) {
		if (memberships.isMember(roomId, session.userId())) {
			return Mono.empty();
		}
		return messages.lastSeq(roomId, session.userId(), session.token())
			.doOnNext(seq -> memberships.confirmed(roomId, session.userId()))
			.then();
	}

	/** Checks a fresh token fully (signature, issuer, audience, expiry) and that it is the same user's. */
	private Mono<Void> reauthenticate(ClientSession session, String token) {
		if (token == null || token.isBlank()) {
			return replies.protocolError(session, ServerFrame.Error.of("invalid", "auth needs a token"));
		}
		return jwtDecoder.decode(token).flatMap(jwt -> {
			if (!Objects.equals(jwt.getSubject(), session.userId())) {
				return replies.protocolError(session, ServerFrame.Error.of("invalid_token", "the token is another user's"));
			}
			session.frameAccepted();
			session.renewToken(jwt.getTokenValue(), jwt.getExpiresAt());
			return Mono.<Void>empty();
		})
			.onErrorResume(
					ex -> replies.protocolError(session, ServerFrame.Error.of("invalid_token", "the token was rejected")));
	}

}
