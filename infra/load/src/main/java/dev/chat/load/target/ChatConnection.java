package dev.chat.load.target;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.publisher.Sinks;

/**
 * One socket to a gateway node, subscribed to one room. Kept small (20,000 of them share the
 * generator's heap): the pending-ack map exists only once this connection publishes, and frames
 * go straight to the Netty channel.
 */
public final class ChatConnection implements Connection {

	private final ChatTarget target;

	private final int client;

	private final String roomId;

	private final Deliveries deliveries;

	/** The same deliveries when they want {@code sentAt}, else null (then no frame pays for parsing it). */
	private final SentAtDeliveries stamped;

	private final Sinks.One<ChatConnection> subscribed = Sinks.one();

	private volatile Channel channel;

	private volatile Map<String, MonoSink<Void>> pending;

	private final AtomicLong sends = new AtomicLong();

	private volatile long subscribedSeq = -1;

	private volatile long lastSeq = -1;

	private volatile int closeCode = -1;

	private volatile boolean ended;

	ChatConnection(ChatTarget target, int client, String roomId, Deliveries deliveries) {
		this.target = target;
		this.client = client;
		this.roomId = roomId;
		this.deliveries = deliveries;
		this.stamped = deliveries instanceof SentAtDeliveries s ? s : null;
	}

	public int client() {
		return client;
	}

	public String roomId() {
		return roomId;
	}

	/** The room's last seq the {@code subscribed} frame named (the head when subscribing). */
	public long subscribedSeq() {
		return subscribedSeq;
	}

	/** The highest seq delivered on this connection, or the subscribed one: what {@code sinceSeq} resumes from. */
	public long lastSeq() {
		return Math.max(lastSeq, subscribedSeq);
	}

	/** The close code the server sent, -1 while open or when closed without one. */
	public int closeCode() {
		return closeCode;
	}

	void attach(Channel channel) {
		this.channel = channel;
	}

	Mono<ChatConnection> subscribed() {
		return subscribed.asMono();
	}

	void write(String frame) {
		Channel open = channel;
		if (open != null) {
			open.writeAndFlush(new TextWebSocketFrame(frame), open.voidPromise());
		}
	}

	@Override
	public Mono<Void> publish(String channelName, String body) {
		return publish(channelName, target.msgIdPrefix() + client + "-" + sends.incrementAndGet(), body);
	}

	/**
	 * Sends with a {@code clientMsgId} of the caller's: a client retrying a send nobody answered
	 * (its socket died) sends the same id again, and the server stores it once.
	 */
	public Mono<Void> publish(String channelName, String clientMsgId, String body) {
		return Mono.create(sink -> {
			Map<String, MonoSink<Void>> map = pendingMap();
			map.put(clientMsgId, sink);
			// Checked after registering: ended() fails every send registered before it looked. Once
			// the server's close frame is in, the socket is closing (a browser's readyState CLOSING):
			// a send now would go nowhere, so it is not made, as a browser would not make it.
			if ((ended || closeCode != -1) && map.remove(clientMsgId) != null) {
				sink.error(new Refused(NOT_CONNECTED));
				return;
			}
			write("{\"type\":\"send\",\"roomId\":\"" + channelName + "\",\"clientMsgId\":\"" + clientMsgId
					+ "\",\"body\":\"" + body + "\"}");
		});
	}

	private Map<String, MonoSink<Void>> pendingMap() {
		Map<String, MonoSink<Void>> map = pending;
		if (map == null) {
			synchronized (this) {
				if (pending == null) {
					pending = new ConcurrentHashMap<>();
				}
				map = pending;
			}
		}
		return map;
	}

	/** Every frame from the server, on this connection's I/O thread. */
	void onFrame(String frame) {
		long now = System.nanoTime();
		String type = Frames.type(frame);
		switch (type) {
			case "message" -> {
				long seq = Frames.number(frame, "seq");
				if (seq > lastSeq) {
					lastSeq = seq;
				}
				String body = Frames.body(frame);
				if (body != null) {
					if (stamped != null) {
						stamped.delivered(this, body, now, Frames.sentAtMillis(frame));
					}
					else {
						deliveries.delivered(this, body, now);
					}
				}
			}
			case "ack" -> {
				Map<String, MonoSink<Void>> map = pending;
				MonoSink<Void> sink = map == null ? null : map.remove(Frames.string(frame, "clientMsgId"));
				if (sink != null) {
					sink.success();
				}
			}
			case "subscribed" -> {
				subscribedSeq = Frames.number(frame, "lastSeq");
				subscribed.tryEmitValue(this);
			}
			case "error" -> onError(frame);
			default -> {
				// presence, member, typing, pong: not measured
			}
		}
	}

	private void onError(String frame) {
		String code = Frames.string(frame, "code");
		String ref = Frames.string(frame, "ref");
		if ("token_expired".equals(code)) {
			target.tokenExpired();
			target.tokens().fresh(client).subscribe(token -> write("{\"type\":\"auth\",\"token\":\"" + token + "\"}"));
			return;
		}
		Map<String, MonoSink<Void>> map = pending;
		MonoSink<Void> sink = ref == null || map == null ? null : map.remove(ref);
		if (sink != null) {
			sink.error(new Refused(code));
		}
		else if (roomId.equals(ref) || subscribedSeq < 0) {
			subscribed.tryEmitError(new Refused(code));
		}
	}

	void closed(int code) {
		closeCode = code;
	}

	/** The socket ended: whatever still waits fails. */
	void ended(Throwable error) {
		ended = true;
		Throwable cause = error != null ? error : new Refused("closed" + (closeCode > 0 ? " " + closeCode : ""));
		subscribed.tryEmitError(cause);
		Map<String, MonoSink<Void>> map = pending;
		if (map != null) {
			map.values().forEach(sink -> sink.error(cause));
			map.clear();
		}
	}

	@Override
	public void close() {
		Channel open = channel;
		if (open != null && open.isActive()) {
			open.writeAndFlush(new CloseWebSocketFrame(1000, "bench"))
				.addListener(io.netty.channel.ChannelFutureListener.CLOSE);
		}
	}

	@Override
	public Mono<Void> onClose() {
		Channel open = channel;
		if (open == null) {
			return Mono.empty();
		}
		return Mono.create(sink -> open.closeFuture().addListener(done -> sink.success()));
	}

	/** The code of a send made after the socket ended: it never left the client. */
	public static final String NOT_CONNECTED = "not connected";

	/**
	 * The server refused something: {@code code} is its error code, or {@code closed} (with the
	 * close code) when the socket ended before an answer came.
	 */
	public static final class Refused extends RuntimeException {

		public Refused(String code) {
			super(code, null, false, false);
		}

		/** Whether the server answered (an error code), rather than the socket ending first. */
		public boolean answered() {
			return !getMessage().startsWith("closed") && !getMessage().equals(NOT_CONNECTED);
		}

	}

}
