package dev.chat.gateway.socket;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.netty.channel.Channel;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.web.reactive.socket.WebSocketSession;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

class SocketShutdownTests {

	private static final Duration DRAIN = Duration.ofSeconds(5);

	@Test
	void aCleanStopClosesEverySocketWith1012() {
		SessionRegistry sessions = new SessionRegistry();
		WebSocketSession socket = socket();
		EmbeddedChannel channel = new EmbeddedChannel();
		sessions.add(session(socket, channel));
		SocketShutdown shutdown = new SocketShutdown(sessions, DRAIN);
		shutdown.start();

		shutdown.stop();
		channel.runPendingTasks();

		verify(socket).close(CloseCodes.SERVICE_RESTART.status());
	}

	@Test
	void aSocketOpenedAfterTheStopBeganIsClosedWith1012AtOnce() {
		SessionRegistry sessions = new SessionRegistry();
		new SocketShutdown(sessions, DRAIN).stop();
		WebSocketSession late = socket();
		EmbeddedChannel channel = new EmbeddedChannel();

		sessions.add(session(late, channel));
		channel.runPendingTasks();

		assertThat(sessions.closing()).isTrue();
		verify(late).close(CloseCodes.SERVICE_RESTART.status());
	}

	@Test
	void aSocketThatEndedIsNotClosedAgain() {
		SessionRegistry sessions = new SessionRegistry();
		WebSocketSession socket = mock(WebSocketSession.class);
		EmbeddedChannel channel = new EmbeddedChannel();
		ClientSession session = session(socket, channel);
		sessions.add(session);
		session.closed();

		new SocketShutdown(sessions, DRAIN).stop();
		channel.runPendingTasks();

		verify(socket, never()).close(any());
	}

	/** The stop runs on its own thread here, so the sockets' event loop is a real one. */
	@Test
	void aSocketHandlingAFrameIsClosedOnlyOnceTheFrameIsAnsweredAndAnIdleOneAtOnce() throws Exception {
		EventLoop loop = new DefaultEventLoop();
		try {
			SessionRegistry sessions = new SessionRegistry();
			WebSocketSession idleSocket = socket();
			WebSocketSession busySocket = socket();
			sessions.add(session(idleSocket, channelOn(loop)));
			ClientSession busy = session(busySocket, channelOn(loop));
			sessions.add(busy);
			busy.frameReceived(); // a send waiting for Kafka

			CompletableFuture<Void> stopped = CompletableFuture.runAsync(new SocketShutdown(sessions, DRAIN)::stop);

			verify(idleSocket, timeout(5_000)).close(CloseCodes.SERVICE_RESTART.status());
			loop.submit(() -> { }).get(5, TimeUnit.SECONDS); // whatever was queued before has run
			verify(busySocket, never()).close(any());
			assertThat(stopped).isNotDone();

			busy.frameHandled(); // its ack is queued: the close goes after it

			stopped.get(5, TimeUnit.SECONDS);
			verify(busySocket, timeout(5_000)).close(CloseCodes.SERVICE_RESTART.status());
		}
		finally {
			loop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
		}
	}

	@Test
	void aSocketStillHandlingAFrameWhenTheDrainEndsIsClosedAllTheSame() {
		SessionRegistry sessions = new SessionRegistry();
		WebSocketSession socket = socket();
		EmbeddedChannel channel = new EmbeddedChannel();
		ClientSession stuck = session(socket, channel);
		sessions.add(stuck);
		stuck.frameReceived(); // never answered
		Duration drain = Duration.ofMillis(200);

		long started = System.nanoTime();
		new SocketShutdown(sessions, drain).stop();
		long took = System.nanoTime() - started;
		channel.runPendingTasks();

		assertThat(Duration.ofNanos(took)).isGreaterThanOrEqualTo(drain);
		verify(socket).close(CloseCodes.SERVICE_RESTART.status());
	}

	private static WebSocketSession socket() {
		WebSocketSession socket = mock(WebSocketSession.class);
		when(socket.close(any())).thenReturn(Mono.empty());
		return socket;
	}

	private static Channel channelOn(EventLoop loop) {
		Channel channel = mock(Channel.class);
		when(channel.eventLoop()).thenReturn(loop);
		return channel;
	}

	private static ClientSession session(WebSocketSession socket, Channel channel) {
		return new ClientSession(socket, channel, "user", "name", "sid", "token", Instant.now().plusSeconds(60),
				new ClientSession.Limits(16, 1 << 20, 20, 50));
	}

}
