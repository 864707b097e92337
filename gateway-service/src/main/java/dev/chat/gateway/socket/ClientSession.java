package dev.chat.gateway.socket;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;

import org.springframework.web.reactive.socket.WebSocketSession;

/**
 * One open socket: who it belongs to, its current token, the rooms it is subscribed to, and
 * its outbound path.
 *
 * <p>
 * Outbound: frames from any thread are queued and written by the socket's own event loop, one
 * drain task per burst, so a fan-out batch costs one flush (one system call) per socket rather
 * than one per frame. A client whose queue or socket buffer fills is closed with 1013 rather
 * than allowed to grow the node's memory or slow other clients.
 *
 * <p>
 * Memory: an idle subscribed socket holds only this object, an empty queue and its rooms;
 * everything else (typing throttle, sends awaiting their echo, the send rate) is created when
 * first needed. Timers are not per socket: {@link SessionRegistry} sweeps every session once a
 * second for pings, silence and token expiry.
 */
final class ClientSession {

	private static final AtomicIntegerFieldUpdater<ClientSession> DRAIN_SCHEDULED = AtomicIntegerFieldUpdater
		.newUpdater(ClientSession.class, "drainScheduled");

	private static final AtomicIntegerFieldUpdater<ClientSession> QUEUED = AtomicIntegerFieldUpdater
		.newUpdater(ClientSession.class, "queued");

	/** An unmasked WebSocket ping with no payload. */
	private static final ByteBuf PING = Unpooled
		.unreleasableBuffer(Unpooled.directBuffer(2).writeByte(0x89).writeByte(0));

	private final String connectionId = UUID.randomUUID().toString();

	private final WebSocketSession socket;

	private final Channel channel;

	private final String userId;

	private final String sessionId;

	private final String username;

	private final Limits limits;

	private final Queue<ByteBuf> outbound = new ConcurrentLinkedQueue<>();

	private final Runnable drainTask = this::drain;

	private volatile int drainScheduled;

	private volatile int queued;

	/** Guarded by this; allocated on first use. */
	private Set<String> subscribed;

	/** Guarded by this; allocated on first use. */
	private Map<String, Instant> lastTyping;

	/** "{roomId}:{clientMsgId}" of sends acknowledged but not yet echoed back; guarded by this. */
	private Set<String> awaitingEcho;

	private SendRate sendRate;

	private volatile String token;

	private volatile Instant tokenExpiresAt;

	/** When this session was told its token expired; null while the token is valid. */
	private volatile Instant expiryWarnedAt;

	private volatile long lastHeardNanos = System.nanoTime();

	private long lastPingNanos = System.nanoTime();

	private int consecutiveErrors;

	private volatile CloseCodes closeCode;

	/** Set when the socket has ended, before its disconnected signal is queued. */
	private volatile boolean ended;

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
		this.socket = socket;
		this.channel = channel;
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
			awaitingEcho = new HashSet<>(4);
		}
		awaitingEcho.add(roomId + ":" + clientMsgId);
	}

	/** True once for a send this session is waiting to see echoed. */
	boolean echoed(String roomId, String clientMsgId) {
		synchronized (this) {
			if (awaitingEcho == null || awaitingEcho.isEmpty()) {
				return false;
			}
			return awaitingEcho.remove(roomId + ":" + clientMsgId);
		}
	}

	synchronized boolean trySend() {
		if (sendRate == null) {
			sendRate = new SendRate(limits.sendsPerSecond(), limits.sendBurst());
		}
		return sendRate.tryAcquire();
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
			enqueue(PING);
		}
		return false;
	}

	/** Queues an encoded frame for the client; closes the socket with 1013 when the client cannot keep up. */
	void send(EncodedFrame frame) {
		if (closeCode != null) {
			return;
		}
		if (QUEUED.incrementAndGet(this) > limits.queuedFrames()) {
			QUEUED.decrementAndGet(this);
			close(CloseCodes.TRY_AGAIN_LATER);
			return;
		}
		enqueue(frame.forWrite());
	}

	private void enqueue(ByteBuf bytes) {
		if (bytes == PING) {
			QUEUED.incrementAndGet(this);
		}
		outbound.offer(bytes);
		if (DRAIN_SCHEDULED.compareAndSet(this, 0, 1)) {
			FlushBatch batch = FlushBatch.current();
			if (batch != null) {
				batch.add(this, channel.eventLoop());
			}
			else {
				channel.eventLoop().execute(drainTask);
			}
		}
	}

	/** On the event loop: writes everything queued, then flushes once. A closing socket's close task does it instead. */
	void drain() {
		DRAIN_SCHEDULED.set(this, 0);
		if (closeCode == null) {
			writeQueued();
		}
	}

	private void writeQueued() {
		boolean wrote = false;
		ByteBuf next;
		while ((next = outbound.poll()) != null) {
			QUEUED.decrementAndGet(this);
			if (!channel.isActive()) {
				next.release();
				continue;
			}
			channel.write(next == PING ? PING.duplicate() : next, channel.voidPromise());
			wrote = true;
		}
		if (wrote) {
			channel.flush();
			ChannelOutboundBuffer buffered = channel.unsafe().outboundBuffer();
			if (buffered != null && buffered.totalPendingWriteBytes() > limits.bufferedBytes()) {
				close(CloseCodes.TRY_AGAIN_LATER);
			}
		}
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

	/**
	 * Closes the socket with this code, after the frames queued before it (the error that
	 * explains it) — except for a client too slow to read them, whose queue is dropped.
	 */
	void close(CloseCodes code) {
		synchronized (this) {
			if (closeCode != null || ended) {
				return;
			}
			closeCode = code;
		}
		channel.eventLoop().execute(() -> {
			if (code != CloseCodes.TRY_AGAIN_LATER) {
				writeQueued();
			}
			discardQueued();
			socket.close(code.status()).subscribe();
		});
	}

	boolean ended() {
		return ended;
	}

	/** The socket is gone: nothing more is written. */
	void closed() {
		synchronized (this) {
			ended = true;
			if (closeCode == null) {
				closeCode = CloseCodes.GOING_AWAY;
			}
		}
		if (channel.eventLoop().inEventLoop()) {
			discardQueued();
		}
		else {
			channel.eventLoop().execute(this::discardQueued);
		}
	}

	private void discardQueued() {
		ByteBuf next;
		while ((next = outbound.poll()) != null) {
			QUEUED.decrementAndGet(this);
			next.release();
		}
	}

}
