package dev.chat.load.target;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import reactor.netty.resources.LoopResources;

/**
 * Our gateway as a {@link Target}: one WebSocket per client on {@code /ws}, with the client's
 * user's token in the handshake, subscribed to one room. Connections are spread over the given
 * gateway ports by client number. A few event-loop threads serve every socket (the generator
 * shares two cores with the stack), on epoll where Netty's native transport loads.
 */
public final class ChatTarget implements Target {

	private static final Duration SUBSCRIBE_TIMEOUT = Duration.ofSeconds(30);

	private final List<Integer> ports;

	private final Tokens tokens;

	private final LoopResources loops;

	private final HttpClient base;

	private final String msgIdPrefix = "b" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36) + "-";

	private final AtomicLong tokenExpiries = new AtomicLong();

	public ChatTarget(List<Integer> ports, Tokens tokens, int ioThreads) {
		if (ports.isEmpty()) {
			throw new IllegalArgumentException("no gateway port");
		}
		this.ports = List.copyOf(ports);
		this.tokens = tokens;
		this.loops = LoopResources.create("bench-io", 1, ioThreads, true);
		this.base = HttpClient.newConnection()
			.runOn(loops)
			// Server frames are small; a small first read buffer keeps 20,000 idle sockets cheap.
			.option(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(64, 512, 65536))
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
	}

	/** Whether Netty's epoll transport is in use (reported with the results). */
	public static boolean epoll() {
		return LoopResources.hasNativeSupport();
	}

	@Override
	public String name() {
		return "chat";
	}

	public List<Integer> ports() {
		return ports;
	}

	Tokens tokens() {
		return tokens;
	}

	String msgIdPrefix() {
		return msgIdPrefix;
	}

	void tokenExpired() {
		tokenExpiries.incrementAndGet();
	}

	/** How many {@code token_expired} errors the gateway sent (each answered with a fresh token). */
	public long tokenExpiries() {
		return tokenExpiries.get();
	}

	@Override
	public Mono<Connection> connect(int client, String channel, Deliveries deliveries) {
		return connect(client, channel, -1, deliveries).cast(Connection.class);
	}

	/**
	 * Like {@link #connect(int, String, Deliveries)}, resuming after {@code sinceSeq} when it is
	 * not negative: the gateway replays every stored event after it before going live.
	 */
	public Mono<ChatConnection> connect(int client, String roomId, long sinceSeq, Deliveries deliveries) {
		return Mono.defer(() -> {
			ChatConnection connection = new ChatConnection(this, client, roomId, deliveries);
			String subscribe = sinceSeq < 0 ? "{\"type\":\"subscribe\",\"roomId\":\"" + roomId + "\"}"
					: "{\"type\":\"subscribe\",\"roomId\":\"" + roomId + "\",\"sinceSeq\":" + sinceSeq + "}";
			String token = tokens.token(client);
			base.headers(headers -> headers.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + token))
				.websocket(WebsocketClientSpec.builder().maxFramePayloadLength(65_536).build())
				.uri("ws://127.0.0.1:" + ports.get(client % ports.size()) + "/ws")
				.handle((in, out) -> {
					in.withConnection(c -> connection.attach(c.channel()));
					in.receiveCloseStatus().subscribe(status -> connection.closed(status.code()));
					connection.write(subscribe);
					return in.receive().asString().doOnNext(connection::onFrame).then();
				})
				.subscribe(null, connection::ended, () -> connection.ended(null));
			return connection.subscribed().timeout(SUBSCRIBE_TIMEOUT).doOnError(error -> connection.close());
		});
	}

	@Override
	public void close() {
		loops.disposeLater(Duration.ZERO, Duration.ofSeconds(2)).block(Duration.ofSeconds(5));
	}

}
