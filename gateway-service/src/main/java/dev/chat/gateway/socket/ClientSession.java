package dev.chat.gateway.socket;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.local.SynchronizationStrategy;
import io.netty.channel.Channel;

import org.springframework.web.reactive.socket.WebSocketSession;

/**
 * One open socket: who it belongs to, its current token, the rooms it is subscribed to; what it
 * sends goes through its {@link SocketOutbound}.
 *
 * <p>
 * Memory: an idle subscribed socket holds only this object, its outbound and its rooms;
 * everything else (typing throttle, sends awaiting their echo, the send rate) is created when
 * first needed. Timers are not per socket: {@link SessionRegistry} sweeps every session once a
 * second for pings, silence and token expiry.
 *
 * <p>
 * Shutdown: a draining session ({@link #drain}) closes itself with 1012 once every frame it has
 * received has been answered, so a send taken before the shutdown began still earns its ack, and
 * one not yet started on is refused ({@code unavailable}) rather than left unanswered. Frames are counted from their arrival, not from
 * the start of their handling: one queued behind a send still waiting for Kafka keeps the socket
 * open until it too has been answered.
 */
final class ClientSession {

	private static final AtomicIntegerFieldUpdater<ClientSession> FRAMES = AtomicIntegerFieldUpdater
		.newUpdater(ClientSession.class, "frames");

	/** What {@link #echoedSince} answers for a message no send of this session awaits. */
	static final long NOT_AWAITED = Long.MIN_VALUE;

	/** The bit of {@link #frames} that marks a draining session. */
	private static final int DRAINING = Integer.MIN_VALUE;

	private final String connectionId = UUID.randomUUID().toString();

	private final String userId;

	private final String sessionId;

	private final String username;

	private final Limits limits;

	private final SocketOutbound outbound;

	/** Guarded by this; allocated on first use. */
	private Set<String> subscribed;

	/** Guarded by this; allocated on first use. */
	private Map<String, Instant> lastTyping;

	/**
	 * "{roomId}:{clientMsgId}" of sends written (or being written) but not yet echoed back, each
	 * with when it was accepted ({@code System.nanoTime()}, for {@code chat.delivery.latency});
	 * guarded by this.
	 */
	private Map<String, Long> awaitingEcho;

	private Bucket sends;

	private volatile String token;

	private volatile Instant tokenExpiresAt;

	/** When this session was told its token expired; null while the token is valid. */
	private volatile Instant expiryWarnedAt;

	private volatile long lastHeardNanos = System.nanoTime();

	private long lastPingNanos = System.nanoTime();

	private int consecutiveErrors;

	/** Set when the socket has ended, before its disconnected signal is queued. */
	private volatile boolean ended;

	/**
	 * Frames received and not yet answered (the low bits; at most the handler's prefetch and the
	 * one in hand), and whether the session drains (the sign bit): one word, so that the last
	 * frame's end and the start of the drain cannot both miss that the socket is to close now.
	 */
	private volatile int frames;

	/**
	 * The outbound limits of a socket.
	 *
	 * @param queuedFrames frames waiting for the event loop before the client counts as too slow
	 * @param bufferedBytes bytes written but not yet taken by the client's TCP connection
	 * @param sendsPerSecond sustained sends
	 * @param sendBurst sends at once before the sustained rate applies
	 */
	record Limits(int queuedFrames, long bufferedBytes, int sendsPerSecond, int sendBurst) {
	}

	ClientSession(WebSocketSession socket, Channel channel, String userId, String username, String sessionId,
			String token, Instant tokenExpiresAt, Limits limits) {
		this.outbound = new SocketOutbound(socket, channel, limits.queuedFrames(), limits.bufferedBytes());
		this.userId = userId;
		this.username = username;
		this.sessionId = sessionId;
		this.token = token;
		this.tokenExpiresAt = tokenExpiresAt;
		this.limits = limits;
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

	synchronized boolean addSubscribed(String roomId) {
		if (subscribed == null) {
			subscribed = new HashSet<>(4);
		}
		return subscribed.add(roomId);
	}

	synchronized boolean removeSubscribed(String roomId) {
		return subscribed != null && subscribed.remove(roomId);
	}

	synchronized List<String> subscribedRooms() {
		return subscribed == null ? List.of() : List.copyOf(subscribed);
	}

	synchronized void awaitEcho(String roomId, String clientMsgId) {
		if (awaitingEcho == null) {
			awaitingEcho = new HashMap<>(4);
		}
		awaitingEcho.put(roomId + ":" + clientMsgId, System.nanoTime());
	}

	/** A send that was refused will not be echoed (a retry awaits it again). */
	synchronized void forgetEcho(String roomId, String clientMsgId) {
		if (awaitingEcho != null) {
			awaitingEcho.remove(roomId + ":" + clientMsgId);
		}
	}

	/** True once for a send this session is waiting to see echoed. */
	boolean echoed(String roomId, String clientMsgId) {
		return echoedSince(roomId, clientMsgId) != NOT_AWAITED;
	}

	/**
	 * Once for a send this session is waiting to see echoed: when it was accepted
	 * ({@code System.nanoTime()}); otherwise {@link #NOT_AWAITED}.
	 */
	long echoedSince(String roomId, String clientMsgId) {
		synchronized (this) {
			if (awaitingEcho == null || awaitingEcho.isEmpty()) {
				return NOT_AWAITED;
			}
			Long accepted = awaitingEcho.remove(roomId + ":" + clientMsgId);
			return accepted == null ? NOT_AWAITED : accepted;
		}
	}

	/**
	 * Takes one send from the connection's token bucket ({@code sendsPerSecond} on average, bursts
	 * of {@code sendBurst}): 0 when the send may go out, otherwise the milliseconds (at least 1)
	 * until one may. The bucket is made at the first send: most sockets never send.
	 */
	synchronized long trySend() {
		if (sends == null) {
			// Guarded by this session's monitor, so Bucket4j needs no synchronization of its own
			// and updates its state in place.
			sends = Bucket.builder()
				.withSynchronizationStrategy(SynchronizationStrategy.NONE)
				.addLimit(limit -> limit.capacity(limits.sendBurst())
					.refillGreedy(limits.sendsPerSecond(), Duration.ofSeconds(1)))
				.build();
		}
		if (sends.tryConsume(1)) {
			return 0;
		}
		return Math.max(1, TimeUnit.NANOSECONDS.toMillis(sends.estimateAbilityToConsume(1).getNanosToWaitForRefill()));
	}

	/** Whether a typing indicator for the room may go out now (at most one per interval). */
	synchronized boolean typingAllowed(String roomId, Instant now, Duration interval) {
		if (lastTyping == null) {
			lastTyping = new HashMap<>(4);
		}
		Instant previous = lastTyping.get(roomId);
		if (previous != null && previous.plus(interval).isAfter(now)) {
			return false;
		}
		lastTyping.put(roomId, now);
		return true;
	}

	void heard() {
		lastHeardNanos = System.nanoTime();
	}

	/**
	 * Called once a second by the registry's sweep: pings when a ping is due, and tells whether
	 * the peer has been silent (not even a pong) for two ping intervals.
	 */
	boolean pingOrSilent(long nowNanos, Duration pingInterval) {
		if (nowNanos - lastHeardNanos > 2 * pingInterval.toNanos()) {
			return true;
		}
		if (nowNanos - lastPingNanos >= pingInterval.toNanos()) {
			lastPingNanos = nowNanos;
			outbound.ping();
		}
		return false;
	}

	/** Queues an encoded frame for the client; closes the socket with 1013 when the client cannot keep up. */
	void send(EncodedFrame frame) {
		outbound.send(frame);
	}

	/** Counts a protocol error; true when the client has made too many in a row. */
	synchronized boolean protocolError(int limit) {
		return ++consecutiveErrors >= limit;
	}

	synchronized void frameAccepted() {
		consecutiveErrors = 0;
	}

	/** A fresh token was accepted. */
	void renewToken(String freshToken, Instant expiresAt) {
		token = freshToken;
		tokenExpiresAt = expiresAt;
		expiryWarnedAt = null;
	}

	/**
	 * Called once a second by the registry's sweep. Returns true when the token just expired (the
	 * client is to be warned); closes with 4401 once the grace period after the warning has passed
	 * without a fresh token.
	 */
	boolean tokenExpired(Instant now, Duration grace) {
		if (tokenExpiresAt.isAfter(now)) {
			return false;
		}
		Instant warned = expiryWarnedAt;
		if (warned == null) {
			expiryWarnedAt = now;
			return true;
		}
		if (!warned.plus(grace).isAfter(now)) {
			close(CloseCodes.TOKEN_EXPIRED);
		}
		return false;
	}

	/** A frame arrived; it counts until {@link #frameHandled} is called for it. */
	void frameReceived() {
		FRAMES.incrementAndGet(this);
	}

	/** A frame's handling ended (answered, failed or cancelled); a draining session that has nothing left closes. */
	void frameHandled() {
		if (FRAMES.decrementAndGet(this) == DRAINING) {
			close(CloseCodes.SERVICE_RESTART);
		}
	}

	/**
	 * The node is shutting down: sends and subscribes are refused from now on, and the socket
	 * closes with 1012 once the frames it has received are answered (at once when there are none).
	 * False when the session was already draining.
	 */
	boolean drain() {
		int before;
		do {
			before = frames;
			if ((before & DRAINING) != 0) {
				return false;
			}
		}
		while (!FRAMES.compareAndSet(this, before, before | DRAINING));
		if (before == 0) {
			close(CloseCodes.SERVICE_RESTART);
		}
		return true;
	}

	boolean draining() {
		return (frames & DRAINING) != 0;
	}

	/** Whether a frame this open socket received is still unanswered. */
	boolean handlingFrame() {
		return !ended && (frames & ~DRAINING) != 0;
	}

	/** Closes the socket with this code, after the frames queued before it (see {@link SocketOutbound#close}). */
	void close(CloseCodes code) {
		if (!ended) {
			outbound.close(code);
		}
	}

	boolean ended() {
		return ended;
	}

	/** The socket is gone: nothing more is written. */
	void closed() {
		ended = true;
		outbound.closed();
	}

}
