package dev.chat.gateway.socket;

import java.time.Instant;

import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.web.reactive.socket.WebSocketSession;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

class SocketShutdownTests {

	@Test
	void aCleanStopClosesEverySocketWith1012() {
		SessionRegistry sessions = new SessionRegistry();
		WebSocketSession socket = mock(WebSocketSession.class);
		when(socket.close(any())).thenReturn(Mono.empty());
		EmbeddedChannel channel = new EmbeddedChannel();
		sessions.add(new ClientSession(socket, channel, "user", "name", "sid", "token", Instant.now().plusSeconds(60),
				new ClientSession.Limits(16, 1 << 20, 20, 50)));
		SocketShutdown shutdown = new SocketShutdown(sessions);
		shutdown.start();

		shutdown.stop();
		channel.runPendingTasks();

		verify(socket).close(CloseCodes.SERVICE_RESTART.status());
	}

	@Test
	void aSocketThatEndedIsNotClosedAgain() {
		SessionRegistry sessions = new SessionRegistry();
		WebSocketSession socket = mock(WebSocketSession.class);
		EmbeddedChannel channel = new EmbeddedChannel();
		ClientSession session = new ClientSession(socket, channel, "user", "name", "sid", "token",
				Instant.now().plusSeconds(60), new ClientSession.Limits(16, 1 << 20, 20, 50));
		sessions.add(session);
		session.closed();

		new SocketShutdown(sessions).stop();
		channel.runPendingTasks();

		verify(socket, never()).close(any());
	}

}
