package dev.chat.gateway.socket;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.reactive.socket.HandshakeInfo;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;

import dev.chat.gateway.GatewayProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * One socket served by {@link SocketHandler} on an embedded channel: Kafka, message-service and
 * presence are stand-ins, everything between the frames and the wire is real.
 */
class SocketHandlerTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final EmbeddedChannel channel = new EmbeddedChannel();

	private final SessionRegistry registry = new SessionRegistry();

	private final Memberships memberships = new Memberships();

	private final InboundPublisher publisher = mock(InboundPublisher.class);

	private final WebSocketSession socket = mock(WebSocketSession.class);

	private final Sinks.Many<WebSocketMessage> frames = Sinks.many().unicast().onBackpressureBuffer();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private SocketHandler handler;

	@BeforeEach
	void handler() {
		// A small bucket that barely refills: the rate-limit test must not depend on how fast this
		// machine runs 60 sends.
		GatewayProperties properties = new Binder(new MapConfigurationPropertySource(
				Map.of("chat.gateway.socket.sends-per-second", "1", "chat.gateway.socket.send-burst", "10")))
			.bindOrCreate("chat.gateway", GatewayProperties.class);
		SocketMetrics metrics = new SocketMetrics(meters, registry);
		FrameCodec codec = new FrameCodec(metrics);
		SocketReplies replies = new SocketReplies(codec, properties);
		Subscriptions subscriptions = new Subscriptions(properties);
		MessageServiceClient messages = mock(MessageServiceClient.class);
		PresenceSignals presence = mock(PresenceSignals.class);
		FanOutConsumer fanOut = mock(FanOutConsumer.class);
		when(fanOut.positioned()).thenReturn(true);
		SubscribeHandler subscribing = new SubscribeHandler(subscriptions, memberships, messages, presence, fanOut,
				codec, replies);
		handler = new SocketHandler(codec, registry, subscriptions, subscribing, memberships, messages, publisher,
				presence, mock(ReactiveJwtDecoder.class), replies, properties, metrics,
				new SocketTracing(ObservationRegistry.NOOP));

		Jwt token = Jwt.withTokenValue("token")
			.header("alg", "none")
			.subject("user")
			.claim("preferred_username", "name")
			.claim("sid", "sid")
			.issuedAt(Instant.now())
			.expiresAt(Instant.now().plusSeconds(300))
			.build();
		when(socket.getHandshakeInfo()).thenReturn(new HandshakeInfo(URI.create("ws://localhost/ws"),
				new HttpHeaders(), Mono.just(new JwtAuthenticationToken(token)), null));
		when(socket.receive()).thenReturn(frames.asFlux());
		when(socket.close(any())).thenReturn(Mono.empty());
		memberships.confirmed("room-1", "user");
	}

	@Test
	void aDrainingSocketAnswersTheSendInFlightRefusesTheFramesQueuedBehindItThenCloses() {
		Sinks.Empty<Void> kafka = Sinks.empty();
		when(publisher.send(any())).thenReturn(kafka.asMono());
		handler.handle(socket, channel).subscribe();
		ClientSession session = onlySession();

		receive(send("room-1", "c-1"));
		session.drain(); // SIGTERM while c-1 waits for Kafka
		receive(send("room-1", "c-2"));
		receive("{\"type\":\"subscribe\",\"roomId\":\"room-2\"}");
		channel.runPendingTasks();
		verify(socket, never()).close(any());

		kafka.tryEmitEmpty();
		channel.runPendingTasks();

		List<JsonNode> written = written();
		assertThat(written).hasSize(3);
		assertThat(written.get(0).path("type").asString()).isEqualTo("ack");
		assertThat(written.get(0).path("clientMsgId").asString()).isEqualTo("c-1");
		assertThat(written.get(1).path("type").asString()).isEqualTo("error");
		assertThat(written.get(1).path("code").asString()).isEqualTo("unavailable");
		assertThat(written.get(1).path("ref").asString()).isEqualTo("c-2");
		assertThat(written.get(1).path("message").asString()).contains("same clientMsgId");
		assertThat(written.get(2).path("code").asString()).isEqualTo("unavailable");
		assertThat(written.get(2).path("ref").asString()).isEqualTo("room-2");
		verify(publisher, times(1)).send(any());
		verify(socket).close(CloseCodes.SERVICE_RESTART.status());
	}

	@Test
	void aDrainingSocketStillAnswersPings() {
		Sinks.Empty<Void> kafka = Sinks.empty();
		when(publisher.send(any())).thenReturn(kafka.asMono());
		handler.handle(socket, channel).subscribe();
		ClientSession session = onlySession();
		receive(send("room-1", "c-1"));
		session.drain();

		receive("{\"type\":\"ping\"}");
		kafka.tryEmitEmpty();
		channel.runPendingTasks();

		assertThat(written()).extracting(frame -> frame.path("type").asString()).containsExactly("ack", "pong");
		verify(socket).close(CloseCodes.SERVICE_RESTART.status());
	}

	@Test
	void framesAreCountedByTypeBothWaysAndOpenSocketsAreGauged() {
		when(publisher.send(any())).thenReturn(Mono.empty());
		handler.handle(socket, channel).subscribe();
		assertThat(meters.get("chat.sockets.open").gauge().value()).isEqualTo(1);

		receive(send("room-1", "c-1"));
		receive(send("room-1", "c-2"));
		receive("{\"type\":\"ping\"}");
		receive("{\"type\":\"nonsense\"}");
		channel.runPendingTasks();

		assertThat(framesIn("send")).isEqualTo(2);
		assertThat(framesIn("ping")).isEqualTo(1);
		assertThat(framesIn("invalid")).isEqualTo(1);
		assertThat(framesOut("ack")).isEqualTo(2);
		assertThat(framesOut("pong")).isEqualTo(1);
		assertThat(framesOut("error")).isEqualTo(1);
		assertThat(written()).hasSize(4);

		frames.tryEmitComplete();
		assertThat(meters.get("chat.sockets.open").gauge().value()).isZero();
	}

	@Test
	void sendsPastTheSocketsRateLimitAreCountedAsSocketRejections() {
		when(publisher.send(any())).thenReturn(Mono.empty());
		handler.handle(socket, channel).subscribe();

		for (int i = 0; i < 60; i++) {
			receive(send("room-1", "c-" + i));
		}
		channel.runPendingTasks();

		double rejected = meters.get("chat.ratelimit.rejections").tag("scope", "socket").counter().count();
		assertThat(rejected).isPositive();
		assertThat(framesOut("ack") + rejected).isEqualTo(60);
	}

	private double framesIn(String type) {
		return meters.get("chat.socket.frames.in").tag("type", type).counter().count();
	}

	private double framesOut(String type) {
		return meters.get("chat.socket.frames.out").tag("type", type).counter().count();
	}

	private ClientSession onlySession() {
		List<ClientSession> sessions = new ArrayList<>();
		registry.forEach(sessions::add);
		assertThat(sessions).hasSize(1);
		return sessions.getFirst();
	}

	private void receive(String text) {
		frames.tryEmitNext(new WebSocketMessage(WebSocketMessage.Type.TEXT,
				DefaultDataBufferFactory.sharedInstance.wrap(text.getBytes(StandardCharsets.UTF_8))));
	}

	/** The text frames written to the channel, decoded (server frames are unmasked). */
	private List<JsonNode> written() {
		List<JsonNode> frames = new ArrayList<>();
		ByteBuf next;
		while ((next = channel.readOutbound()) != null) {
			assertThat(next.readUnsignedByte()).isEqualTo((short) 0x81);
			int length = next.readUnsignedByte();
			if (length == 126) {
				length = next.readUnsignedShort();
			}
			frames.add(JSON.readTree(next.readCharSequence(length, StandardCharsets.UTF_8).toString()));
			next.release();
		}
		return frames;
	}

	private static String send(String roomId, String clientMsgId) {
		return "{\"type\":\"send\",\"roomId\":\"" + roomId + "\",\"clientMsgId\":\"" + clientMsgId
				+ "\",\"body\":\"hi\"}";
	}

}
