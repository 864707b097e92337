package dev.chat.gateway.socket;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

import org.springframework.web.reactive.socket.WebSocketSession;

/**
 * One open socket: who it belongs to, its current token, the rooms it may write to and is
 * subscribed to, and its bounded outbound queue. A client that lets the queue fill is closed
 * with 1013 rather than allowed to grow the node's memory or slow other clients.
 */
final class ClientSession {

	private final String connectionId = UUID.randomUUID().toString();

	private final WebSocketSession socket;

	private final String userId;

	private final String sessionId;

	private final String username;

	/** Encoded text frames: a fan-out frame is encoded once per node and shared by every session. */
	private final Sinks.Many<String> outbound;

	/** Completes with the outbound stream, so that what runs beside it (pings) stops too. */
	private final Sinks.Empty<Void> outboundDone = Sinks.empty();

	/** Rooms message-service confirmed this user may read and write (by a successful read). */
	private final Set<String> memberOf = ConcurrentHashMap.newKeySet();

	private final Set<String> subscribed = ConcurrentHashMap.newKeySet();

	private final Map<String, Instant> lastTyping = new ConcurrentHashMap<>();

	/** "{roomId}:{clientMsgId}" of sends acknowledged but not yet echoed back as a message. */
	private final Set<String> awaitingEcho = ConcurrentHashMap.newKeySet();

	private final SendRate sendRate;

	private volatile String token;

	private volatile Instant tokenExpiresAt;

	private volatile Instant lastHeard = Instant.now();

	private Disposable expiryWatch = () -> {
	};

	private int consecutiveErrors;

	private volatile CloseCodes closeCode;

	/** Set when the socket has ended, before its disconnected signal is queued. */
	private volatile boolean ended;

	ClientSession(WebSocketSession socket, String userId, String username, String sessionId, String token,
			Instant tokenExpiresAt, int queueSize, SendRate sendRate) {
		this.socket = socket;
		this.userId = userId;
		this.username = username;
		this.sessionId = sessionId;
		this.token = token;
		this.tokenExpiresAt = tokenExpiresAt;
		this.sendRate = sendRate;
		this.outbound = Sinks.many().unicast().onBackpressureBuffer(Queues.<String>get(queueSize).get());
	}

	String connectionId() {
		return connectionId;
	}

	String userId() {
		return userId;
	}

	/** The user's login name ({@code preferred_username}), shown in presence lists. */
	String username() {
		return username;
	}

	/** The Keycloak session ({@code sid}) the socket's token belongs to; may be null. */
	String sessionId() {
		return sessionId;
	}

	/** The user's current access token, for reads made on the user's behalf. */
	String token() {
		return token;
	}

	Instant tokenExpiresAt() {
		return tokenExpiresAt;
	}

	Set<String> memberOf() {
		return memberOf;
	}

	Set<String> subscribed() {
		return subscribed;
	}

	void awaitEcho(String roomId, String clientMsgId) {
		awaitingEcho.add(roomId + ":" + clientMsgId);
	}

	/** True once for a send this session is waiting to see echoed. */
	boolean echoed(String roomId, String clientMsgId) {
		return awaitingEcho.remove(roomId + ":" + clientMsgId);
	}

	SendRate sendRate() {
		return sendRate;
	}

	/** Whether a typing indicator for the room may go out now (at most one per interval). */
	boolean typingAllowed(String roomId, Instant now, java.time.Duration interval) {
		Instant previous = lastTyping.get(roomId);
		if (previous != null && previous.plus(interval).isAfter(now)) {
			return false;
		}
		lastTyping.put(roomId, now);
		return true;
	}

	void heard() {
		lastHeard = Instant.now();
	}

	Instant lastHeard() {
		return lastHeard;
	}

	Flux<String> outbound() {
		return outbound.asFlux().doFinally(signal -> outboundDone.tryEmitEmpty());
	}

	Mono<Void> outboundDone() {
		return outboundDone.asMono();
	}

	/** Queues an encoded frame; closes the socket with 1013 when the client is too slow to drain its queue. */
	void send(String encodedFrame) {
		Sinks.EmitResult result;
		synchronized (this) {
			result = outbound.tryEmitNext(encodedFrame);
		}
		if (result == Sinks.EmitResult.FAIL_OVERFLOW) {
			close(CloseCodes.TRY_AGAIN_LATER);
		}
	}

	/** Counts a protocol error; true when the client has made too many in a row. */
	synchronized boolean protocolError(int limit) {
		return ++consecutiveErrors >= limit;
	}

	synchronized void frameAccepted() {
		consecutiveErrors = 0;
	}

	/** A fresh token was accepted: the new expiry, and the watch that enforces it. */
	synchronized void renewToken(String freshToken, Instant expiresAt, Disposable watch) {
		expiryWatch.dispose();
		token = freshToken;
		tokenExpiresAt = expiresAt;
		expiryWatch = watch;
	}

	/**
	 * Ends the outbound stream; the handler then sends the close frame with this code. Closing
	 * the socket directly while a send is in flight loses the code (the client sees 1006).
	 */
	synchronized void close(CloseCodes code) {
		if (closeCode == null) {
			closeCode = code;
			outbound.tryEmitComplete();
		}
	}

	/** Sends the close frame once the outbound stream has ended; a normal close when none was asked for. */
	Mono<Void> sendClose() {
		CloseCodes code = closeCode;
		return code == null ? socket.close() : socket.close(code.status());
	}

	/** The client closed its side: nothing more will be read, so end the outbound stream too. */
	synchronized void inputEnded() {
		outbound.tryEmitComplete();
	}

	boolean ended() {
		return ended;
	}

	synchronized void closed() {
		ended = true;
		expiryWatch.dispose();
		outbound.tryEmitComplete();
	}

}
