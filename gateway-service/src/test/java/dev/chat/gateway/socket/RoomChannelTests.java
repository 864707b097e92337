package dev.chat.gateway.socket;

import java.nio.charset.StandardCharsets;

import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RoomChannelTests {

	private static EncodedFrame frame(long seq) {
		return EncodedFrame.text(("{\"seq\":" + seq + "}").getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void theHeadIsUnknownUntilMessageServiceAnswered() {
		RoomChannel room = new RoomChannel("r", 16);
		room.observe(7, frame(7));
		assertThat(room.knownHead()).isEqualTo(-1);
		assertThat(room.replayFromMemory(6)).isNull();
		room.learned(5);
		assertThat(room.knownHead()).isEqualTo(7);
	}

	@Test
	void theHeadFollowsTheStreamOnceKnownAndIgnoresRepublishedSeqs() {
		RoomChannel room = new RoomChannel("r", 16);
		room.learned(3);
		assertThat(room.observe(4, frame(4))).isTrue();
		assertThat(room.observe(5, frame(5))).isTrue();
		assertThat(room.observe(4, frame(4))).isFalse();
		assertThat(room.knownHead()).isEqualTo(5);
	}

	@Test
	void recoversFromMemoryOnlyWhatItSawWithoutAGap() {
		RoomChannel room = new RoomChannel("r", 16);
		room.learned(3);
		room.observe(4, frame(4));
		room.observe(5, frame(5));
		RoomChannel.Replay replay = room.replayFromMemory(3);
		assertThat(replay.head()).isEqualTo(5);
		assertThat(replay.events()).extracting(RecentEvents.Sequenced::seq).containsExactly(4L, 5L);
		// Before seq 4 this node saw nothing: message-service must replay that.
		assertThat(room.replayFromMemory(2)).isNull();
		// A client claiming to be ahead of this node is not served from memory.
		assertThat(room.replayFromMemory(9)).isNull();
	}

	@Test
	void anAnswerAheadOfTheStreamDoesNotBreakTheWindow() {
		RoomChannel room = new RoomChannel("r", 16);
		room.observe(10, frame(10));
		// message-service answers with events stored but not yet read by this node's fan-out
		room.learned(12);
		// 11 and 12 are not seen yet: they follow 10 in the room's partition and arrive live.
		assertThat(room.replayFromMemory(9).events()).extracting(RecentEvents.Sequenced::seq).containsExactly(10L);
		room.observe(11, frame(11));
		room.observe(12, frame(12));
		room.observe(13, frame(13));
		assertThat(room.replayFromMemory(9).events()).extracting(RecentEvents.Sequenced::seq)
			.containsExactly(10L, 11L, 12L, 13L);
	}

	@Test
	void lingersAfterTheLastSubscriberLeft() {
		RoomChannel room = new RoomChannel("r", 16);
		assertThat(room.idleLongerThan(0, System.nanoTime())).isFalse();
		RoomSubscription subscription = new RoomSubscription(ClientSessionTests.session(new EmbeddedChannel()), "r");
		room.add(subscription);
		room.remove(subscription);
		long now = System.nanoTime() + 1;
		assertThat(room.idleLongerThan(1_000_000_000L, now)).isFalse();
		assertThat(room.idleLongerThan(0, now + 10)).isTrue();
	}

}
