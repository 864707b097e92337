package dev.chat.gateway.socket;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import dev.chat.common.metrics.ChatMeters;

/**
 * The socket meters of this node (docs/operations.md lists them). Every meter is made once, at
 * start: a frame costs an array index and an increment, never a lookup by name and tags. Tags
 * are the frame types only, a fixed set, never a user or a room.
 *
 * <ul>
 * <li>{@code chat.sockets.open}: sockets open now;
 * <li>{@code chat.socket.frames.in{type}}: client frames received, {@code invalid} for one that
 * could not be decoded (malformed, unknown type, too large);
 * <li>{@code chat.socket.frames.out{type}}: server frames queued to a socket (a fan-out event to
 * N sockets counts N);
 * <li>{@code chat.delivery.latency}: from a send accepted on a socket of this node to its
 * message, back from message-service through Kafka, queued to that sender's socket: the whole
 * send path (validation, Kafka, sequencing and storage, fan-out), on one clock;
 * <li>{@code chat.fanout.lag}: from message-service storing a message ({@code sentAt}) to this
 * node delivering it to its subscribers (two clocks: on different hosts, includes their skew);
 * <li>{@code chat.ratelimit.rejections{scope=socket}}: sends refused by a socket's rate limit.
 * </ul>
 */
@Component
final class SocketMetrics {

	/** The client frame types, and {@code invalid}; indexes {@link #in}. */
	private enum In {

		SUBSCRIBE, UNSUBSCRIBE, SEND, TYPING, AUTH, PING, INVALID

	}

	/** The server frame types; indexes {@link #out}. */
	enum Out {

		SUBSCRIBED, ACK, MESSAGE, PRESENCE, MEMBER, TYPING, ERROR, PONG;

		static Out of(ServerFrame frame) {
			return switch (frame) {
				case ServerFrame.Subscribed subscribed -> SUBSCRIBED;
				case ServerFrame.Ack ack -> ACK;
				case ServerFrame.Message message -> MESSAGE;
				case ServerFrame.Presence presence -> PRESENCE;
				case ServerFrame.Member member -> MEMBER;
				case ServerFrame.Typing typing -> TYPING;
				case ServerFrame.Error error -> ERROR;
				case ServerFrame.Pong pong -> PONG;
			};
		}

	}

	private final Counter[] in = new Counter[In.values().length];

	private final Counter[] out = new Counter[Out.values().length];

	private final Timer deliveryLatency;

	private final Timer fanOutLag;

	private final Counter rateLimited;

	@Autowired
	SocketMetrics(MeterRegistry registry, SessionRegistry sessions) {
		Gauge.builder("chat.sockets.open", sessions, SessionRegistry::size)
			.description("WebSocket connections open on this node")
			.register(registry);
		for (In type : In.values()) {
			in[type.ordinal()] = Counter.builder("chat.socket.frames.in")
				.description("Client frames received, by type (invalid: not decodable)")
				.tag("type", type.name().toLowerCase())
				.register(registry);
		}
		for (Out type : Out.values()) {
			out[type.ordinal()] = Counter.builder("chat.socket.frames.out")
				.description("Server frames queued to sockets, by type")
				.tag("type", type.name().toLowerCase())
				.register(registry);
		}
		this.deliveryLatency = Timer.builder("chat.delivery.latency")
			.description("From a send accepted on this node's socket to its message queued to the sender's socket")
			// Buckets, not client-side percentiles: histogram_quantile() aggregates them over nodes.
			.publishPercentileHistogram()
			.minimumExpectedValue(Duration.ofMillis(1))
			.maximumExpectedValue(Duration.ofSeconds(30))
			.register(registry);
		this.fanOutLag = Timer.builder("chat.fanout.lag")
			.description("From message-service storing a message to this node delivering it to its subscribers")
			.publishPercentileHistogram()
			.minimumExpectedValue(Duration.ofMillis(1))
			.maximumExpectedValue(Duration.ofSeconds(30))
			.register(registry);
		this.rateLimited = Counter.builder(ChatMeters.RATE_LIMIT_REJECTIONS)
			.description("Requests and frames refused by a rate limit")
			.tag("scope", "socket")
			.register(registry);
	}

	/** Meters that count nowhere, for tests of other behaviour. */
	static SocketMetrics none() {
		return new SocketMetrics(new CompositeMeterRegistry(), new SessionRegistry());
	}

	void received(ClientFrame frame) {
		In type = switch (frame) {
			case ClientFrame.Subscribe subscribe -> In.SUBSCRIBE;
			case ClientFrame.Unsubscribe unsubscribe -> In.UNSUBSCRIBE;
			case ClientFrame.Send send -> In.SEND;
			case ClientFrame.Typing typing -> In.TYPING;
			case ClientFrame.Auth auth -> In.AUTH;
			case ClientFrame.Ping ping -> In.PING;
		};
		in[type.ordinal()].increment();
	}

	void receivedInvalid() {
		in[In.INVALID.ordinal()].increment();
	}

	/** The counter a frame of this type counts its deliveries in (held by the encoded frame). */
	Counter sent(Out type) {
		return out[type.ordinal()];
	}

	/** A sender's own message reached its socket; {@code acceptedNanos} is when its send was accepted. */
	void delivered(long acceptedNanos) {
		deliveryLatency.record(System.nanoTime() - acceptedNanos, TimeUnit.NANOSECONDS);
	}

	/** A stored message is being delivered to this node's subscribers now. */
	void fannedOut(Instant storedAt) {
		if (storedAt != null) {
			long millis = Instant.now().toEpochMilli() - storedAt.toEpochMilli();
			fanOutLag.record(Math.max(0, millis), TimeUnit.MILLISECONDS);
		}
	}

	void rateLimited() {
		rateLimited.increment();
	}

}
