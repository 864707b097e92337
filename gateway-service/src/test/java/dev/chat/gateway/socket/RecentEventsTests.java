package dev.chat.gateway.socket;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RecentEventsTests {

	private static EncodedFrame frame(long seq) {
		return EncodedFrame.text(("{\"seq\":" + seq + "}").getBytes(StandardCharsets.UTF_8));
	}

	private static List<Long> seqs(List<RecentEvents.Sequenced> events) {
		events.forEach(event -> event.frame().release());
		return events.stream().map(RecentEvents.Sequenced::seq).toList();
	}

	@Test
	void replaysTheEventsAfterASeqUpToTheHead() {
		RecentEvents recent = new RecentEvents(8);
		for (long seq = 10; seq <= 14; seq++) {
			recent.add(seq, frame(seq));
		}
		assertThat(seqs(recent.after(11, 14))).containsExactly(12L, 13L, 14L);
		assertThat(seqs(recent.after(9, 14))).containsExactly(10L, 11L, 12L, 13L, 14L);
		assertThat(recent.after(14, 14)).isEmpty();
	}

	@Test
	void cannotReplayWhatFellOutOfTheWindow() {
		RecentEvents recent = new RecentEvents(4);
		for (long seq = 1; seq <= 10; seq++) {
			recent.add(seq, frame(seq));
		}
		assertThat(recent.after(5, 10)).isNull();
		assertThat(seqs(recent.after(6, 10))).containsExactly(7L, 8L, 9L, 10L);
	}

	@Test
	void aGapStartsTheWindowAgainSoNothingMissingIsEverReplayed() {
		RecentEvents recent = new RecentEvents(8);
		recent.add(1, frame(1));
		recent.add(2, frame(2));
		recent.add(5, frame(5));
		assertThat(recent.after(1, 5)).isNull();
		assertThat(seqs(recent.after(4, 5))).containsExactly(5L);
	}

	@Test
	void growsAsEventsComeThenKeepsTheLatestAtItsCapacity() {
		RecentEvents recent = new RecentEvents(40);
		for (long seq = 1; seq <= 100; seq++) {
			recent.add(seq, frame(seq));
		}
		assertThat(recent.after(59, 100)).isNull();
		assertThat(seqs(recent.after(60, 100))).hasSize(40).startsWith(61L).endsWith(100L);
	}

	@Test
	void aRepublishedEventChangesNothing() {
		RecentEvents recent = new RecentEvents(8);
		recent.add(1, frame(1));
		recent.add(2, frame(2));
		recent.add(1, frame(1));
		recent.add(3, frame(3));
		assertThat(seqs(recent.after(0, 3))).containsExactly(1L, 2L, 3L);
	}

	@Test
	void eventsBeyondTheWindowAreLeftToTheLiveStream() {
		RecentEvents recent = new RecentEvents(8);
		recent.add(1, frame(1));
		assertThat(seqs(recent.after(0, 3))).containsExactly(1L);
	}

	@Test
	void anEmptyWindowServesNothingButAClientAtTheHead() {
		RecentEvents recent = new RecentEvents(8);
		assertThat(recent.after(2, 3)).isNull();
		assertThat(recent.after(3, 3)).isEmpty();
	}

	@Test
	void framesAreReleasedWhenTheyLeaveTheWindow() {
		RecentEvents recent = new RecentEvents(2);
		EncodedFrame first = frame(1);
		recent.add(1, first);
		first.release();
		recent.add(2, frame(2));
		recent.add(3, frame(3));
		assertThat(first.refCnt()).isZero();
	}

}
