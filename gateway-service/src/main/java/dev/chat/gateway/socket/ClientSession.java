package dev.chat.gateway.socket;

import java.time.Instant;
import java.util.UUID;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

import org.springframework.web.reactive.socket.WebSocketSession;

/**
 * One open socket: who it belongs to, until when its token is valid, and its bounded outbound
 * queue. A client that lets the queue fill is closed with 1013 rather than allowed to grow the
 * node's memory or slow other clients.
 */
final class ClientSession {

	private final String connectionId = UUID.randomUUID().toString();

	private final WebSocketSession socket;

	private final String userId;

	private final String sessionId;

	private final Sinks.Many<ServerFrame> outbound;

	private volatile Instant tokenExpiresAt;

	private Disposable expiryWatch = () -> {
	};

	private int consecutiveErrors;

	private volatile CloseCodes closeCode;

	ClientSession(WebSocketSession socket, String userId, String sessionId, Instant tokenExpiresAt, int queueSize) {
		this.socket = socket;
		this.userId = userId;
		this.sessionId = sessionId;
		this.tokenExpiresAt = tokenExpiresAt;
		this.outbound = Sinks.many().unicast().onBackpressureBuffer(Queues.<ServerFrame>get(queueSize).get());
	}

	String connectionId() {
		return connectionId;
	}

	String userId() {
		return userId;
	}

	/** The Keycloak session ({@code sid}) the socket's token belongs to; may be null. */
	String sessionId() {
		return sessionId;
	}

	Instant tokenExpiresAt() {
		return tokenExpiresAt;
	}

	Flux<ServerFrame> outbound() {
		return outbound.asFlux();
	}

	/** Queues a frame; closes the socket with 1013 when the client is too slow to drain its queue. */
	void send(ServerFrame frame) {
		Sinks.EmitResult result;
		synchronized (this) {
			result = outbound.tryEmitNext(frame);
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
	synchronized void renewToken(Instant expiresAt, Disposable watch) {
		expiryWatch.dispose();
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

	synchronized void closed() {
		expiryWatch.dispose();
		outbound.tryEmitComplete();
	}

}
