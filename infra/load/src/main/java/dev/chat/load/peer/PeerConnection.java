package dev.chat.load.peer;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;

import dev.chat.load.target.Connection;
import dev.chat.load.target.Deliveries;

/**
 * What the two peer connections share: one WebSocket, text frames read on its I/O thread and
 * handed to {@link #onText}, text frames written straight to the Netty channel, the commands
 * awaiting their reply by id, and the {@code connect} Mono that completes once subscribed.
 * Kept small: 20,000 of them are open in one run, the pending map is made only by a connection
 * that publishes.
 */
abstract class PeerConnection implements Connection {

	private static final AtomicLongFieldUpdater<PeerConnection> NEXT_ID = AtomicLongFieldUpdater
		.newUpdater(PeerConnection.class, "nextId");

	private static final WebsocketClientSpec SPEC = WebsocketClientSpec.builder()
		.maxFramePayloadLength(1 << 20)
		.build();

	/** As long as the gateway's target waits for its subscription. */
	static final Duration SUBSCRIBE_TIMEOUT = Duration.ofSeconds(30);

	protected final Deliveries deliveries;

	private volatile long nextId;

	private volatile reactor.netty.Connection connection;

	private volatile MonoSink<Connection> ready;

	private volatile ConcurrentHashMap<Long, MonoSink<Void>> pending;

	/** {@link System#nanoTime()} when the frame being parsed was read. */
	protected long frameNanos;

	protected PeerConnection(Deliveries deliveries, long firstPublishId) {
		this.deliveries = deliveries;
		this.nextId = firstPublishId;
	}

	/**
	 * Opens the WebSocket; the Mono completes with this connection once {@link #subscribed()}, and
	 * fails (closing the socket) when that takes longer than {@link #SUBSCRIBE_TIMEOUT}.
	 */
	final Mono<Connection> open(HttpClient client, String uri) {
		return Mono.<Connection>create(sink -> {
			this.ready = sink;
			var handling = client.websocket(SPEC).uri(uri).handle((in, out) -> {
				in.withConnection(this::attached);
				return in.aggregateFrames(1 << 20).receiveFrames().doOnNext(this::frame).then();
			}).subscribe(null, this::ended, () -> ended(null));
			sink.onCancel(() -> {
				if (this.ready != null) {
					this.ready = null;
					handling.dispose();
				}
			});
		}).timeout(SUBSCRIBE_TIMEOUT);
	}

	private void attached(reactor.netty.Connection connection) {
		this.connection = connection;
		onOpen();
	}

	private void frame(WebSocketFrame frame) {
		if (frame instanceof TextWebSocketFrame text) {
			frameNanos = System.nanoTime();
			onText(text.text());
		}
	}

	private void ended(Throwable error) {
		MonoSink<Connection> sink = ready;
		if (sink != null) {
			ready = null;
			sink.error(error != null ? error
					: new IllegalStateException(getClass().getSimpleName() + ": closed before subscribed"));
		}
		ConcurrentHashMap<Long, MonoSink<Void>> waiting = pending;
		if (waiting != null) {
			waiting.forEach((id, ack) -> {
				if (waiting.remove(id, ack)) {
					ack.error(new IllegalStateException("connection closed before the publish was acknowledged"));
				}
			});
		}
	}

	/** The WebSocket is open: send what the protocol sends first. */
	protected abstract void onOpen();

	/** One text frame from the server. */
	protected abstract void onText(String text);

	/** The subscription is confirmed: {@code connect} completes. */
	protected final void subscribed() {
		MonoSink<Connection> sink = ready;
		if (sink != null) {
			ready = null;
			sink.success(this);
		}
	}

	/** The handshake or subscription was refused: {@code connect} fails and the socket closes. */
	protected final void refused(String why) {
		MonoSink<Connection> sink = ready;
		if (sink != null) {
			ready = null;
			sink.error(new IllegalStateException(getClass().getSimpleName() + ": " + why));
		}
		close();
	}

	protected final void send(String text) {
		reactor.netty.Connection c = connection;
		if (c != null) {
			c.channel().writeAndFlush(new TextWebSocketFrame(text), c.channel().voidPromise());
		}
	}

	/** Sends the frame {@code frameFor(id)} and completes when {@link #acked} for that id. */
	protected final Mono<Void> request(java.util.function.LongFunction<String> frameFor) {
		return Mono.create(sink -> {
			reactor.netty.Connection c = connection;
			if (c == null || !c.channel().isActive()) {
				sink.error(new IllegalStateException("connection is not open"));
				return;
			}
			long id = NEXT_ID.getAndIncrement(this);
			ConcurrentHashMap<Long, MonoSink<Void>> waiting = pendingMap();
			waiting.put(id, sink);
			c.channel().writeAndFlush(new TextWebSocketFrame(frameFor.apply(id))).addListener(written -> {
				if (!written.isSuccess() && waiting.remove(id, sink)) {
					sink.error(written.cause());
				}
			});
		});
	}

	/** The reply to request {@code id}: {@code error} null for success. */
	protected final void acked(long id, String error) {
		ConcurrentHashMap<Long, MonoSink<Void>> waiting = pending;
		MonoSink<Void> sink = waiting == null ? null : waiting.remove(id);
		if (sink == null) {
			return;
		}
		if (error == null) {
			sink.success();
		}
		else {
			sink.error(new IllegalStateException("refused: " + error));
		}
	}

	private ConcurrentHashMap<Long, MonoSink<Void>> pendingMap() {
		ConcurrentHashMap<Long, MonoSink<Void>> waiting = pending;
		if (waiting == null) {
			synchronized (this) {
				waiting = pending;
				if (waiting == null) {
					waiting = new ConcurrentHashMap<>(16);
					pending = waiting;
				}
			}
		}
		return waiting;
	}

	@Override
	public void close() {
		reactor.netty.Connection c = connection;
		if (c == null) {
			return;
		}
		Channel channel = c.channel();
		if (channel.isActive()) {
			channel.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE))
				.addListener(ChannelFutureListener.CLOSE);
		}
		else {
			c.dispose();
		}
	}

	@Override
	public Mono<Void> onClose() {
		reactor.netty.Connection c = connection;
		return c == null ? Mono.empty() : c.onDispose();
	}

}
