package dev.chat.gateway.socket;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.web.reactive.socket.WebSocketSession;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

class ClientSessionTests {

	static ClientSession session(EmbeddedChannel channel) {
		return new ClientSession(null, channel, "user", "name", "sid", "token", Instant.now().plusSeconds(60),
				new ClientSession.Limits(16, 1 << 20, 20, 50));
	}

	@Test
	void framesFromAnyThreadAreWrittenInOrderAndFlushedOncePerBurst() {
		EmbeddedChannel channel = new EmbeddedChannel();
		ClientSession session = session(channel);
		EncodedFrame first = EncodedFrame.text("{\"n\":1}".getBytes(StandardCharsets.UTF_8));
		EncodedFrame second = EncodedFrame.text("{\"n\":2}".getBytes(StandardCharsets.UTF_8));
		session.send(first);
		session.send(second);
		channel.runPendingTasks();
		ByteBuf written = channel.readOutbound();
		assertThat(written.getByte(0)).isEqualTo((byte) 0x81);
		assertThat(written.toString(2, written.readableBytes() - 2, StandardCharsets.UTF_8)).isEqualTo("{\"n\":1}");
		written.release();
		ByteBuf next = channel.readOutbound();
		assertThat(next.toString(2, next.readableBytes() - 2, StandardCharsets.UTF_8)).isEqualTo("{\"n\":2}");
		next.release();
		// The same bytes went out: each write took a duplicate, the frames are still the caller's.
		assertThat(first.refCnt()).isEqualTo(1);
		first.release();
		second.release();
	}

	@Test
	void aPingGoesOutWhenDueAndAPeerSilentForTwoIntervalsIsReported() {
		EmbeddedChannel channel = new EmbeddedChannel();
		ClientSession session = session(channel);
		long now = System.nanoTime();
		Duration interval = Duration.ofSeconds(20);
		assertThat(session.pingOrSilent(now + interval.toNanos(), interval)).isFalse();
		channel.runPendingTasks();
		ByteBuf ping = channel.readOutbound();
		assertThat(ping.getByte(0)).isEqualTo((byte) 0x89);
		assertThat(session.pingOrSilent(now + 2 * interval.toNanos() + 1_000_000_000L, interval)).isTrue();
	}

	@Test
	void anExpiredTokenIsReportedOnceThenClosedAfterTheGraceUnlessRenewed() {
		EmbeddedChannel channel = new EmbeddedChannel();
		ClientSession session = session(channel);
		Instant expiry = session.tokenExpiresAt();
		assertThat(session.tokenExpired(expiry.minusSeconds(1), Duration.ofSeconds(5))).isFalse();
		assertThat(session.tokenExpired(expiry, Duration.ofSeconds(5))).isTrue();
		assertThat(session.tokenExpired(expiry.plusSeconds(1), Duration.ofSeconds(5))).isFalse();
		session.renewToken("fresh", expiry.plusSeconds(300));
		assertThat(session.tokenExpired(expiry.plusSeconds(10), Duration.ofSeconds(5))).isFalse();
		assertThat(session.token()).isEqualTo("fresh");
	}

	@Test
	void inAFlushBatchEverySocketIsDrainedOnceWhenTheBatchEnds() {
		EmbeddedChannel channel = new EmbeddedChannel();
		ClientSession session = session(channel);
		EncodedFrame frame = EncodedFrame.text("{\"n\":1}".getBytes(StandardCharsets.UTF_8));
		FlushBatch batch = FlushBatch.open();
		session.send(frame);
		session.send(frame);
		channel.runPendingTasks();
		assertThat((Object) channel.readOutbound()).as("nothing is written while the batch is open").isNull();
		batch.close();
		assertThat(FlushBatch.current()).isNull();
		channel.runPendingTasks();
		ByteBuf first = channel.readOutbound();
		ByteBuf second = channel.readOutbound();
		assertThat(first).isNotNull();
		assertThat(second).isNotNull();
		first.release();
		second.release();
		frame.release();
	}

	@Test
	void aDrainingSessionClosesWith1012OnceEveryFrameItReceivedIsHandled() {
		EmbeddedChannel channel = new EmbeddedChannel();
		WebSocketSession socket = mock(WebSocketSession.class);
		when(socket.close(any())).thenReturn(Mono.empty());
		ClientSession session = new ClientSession(socket, channel, "user", "name", "sid", "token",
				Instant.now().plusSeconds(60), new ClientSession.Limits(16, 1 << 20, 20, 50));
		session.frameReceived(); // in hand
		session.frameReceived(); // queued behind it

		assertThat(session.drain()).isTrue();
		assertThat(session.drain()).as("once").isFalse();
		session.frameHandled();
		channel.runPendingTasks();
		assertThat(session.draining()).isTrue();
		assertThat(session.handlingFrame()).isTrue();
		verify(socket, never()).close(any());

		session.frameHandled();
		channel.runPendingTasks();
		assertThat(session.handlingFrame()).isFalse();
		verify(socket).close(CloseCodes.SERVICE_RESTART.status());
	}

	@Test
	void anIdleSessionClosesAsSoonAsItDrainsAndOneThatEndedIsNotBusy() {
		EmbeddedChannel channel = new EmbeddedChannel();
		WebSocketSession socket = mock(WebSocketSession.class);
		when(socket.close(any())).thenReturn(Mono.empty());
		ClientSession idle = new ClientSession(socket, channel, "user", "name", "sid", "token",
				Instant.now().plusSeconds(60), new ClientSession.Limits(16, 1 << 20, 20, 50));
		ClientSession ended = session(channel);
		ended.frameReceived(); // its handling was cancelled with the socket

		idle.drain();
		ended.closed();
		channel.runPendingTasks();

		verify(socket).close(CloseCodes.SERVICE_RESTART.status());
		assertThat(ended.handlingFrame()).isFalse();
	}

}
