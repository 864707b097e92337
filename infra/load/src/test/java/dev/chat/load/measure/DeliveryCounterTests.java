package dev.chat.load.measure;

import java.util.BitSet;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DeliveryCounterTests {

	private static final long LATE = 1_000_000_000L;

	@Test
	void countsLostDuplicatedAndLateOnAKnownInput() {
		DeliveryCounter counter = new DeliveryCounter(2, LATE);
		// connection 0: 0..9 once, 3 and 7 again, 5 late
		for (int msgNo = 0; msgNo < 10; msgNo++) {
			counter.received(0, msgNo, msgNo == 5 ? 2 * LATE : 1_000_000);
		}
		assertThat(counter.received(0, 3, 1_000_000)).isFalse();
		counter.received(0, 7, 1_000_000);
		// connection 1: misses 2, 4 and 9
		for (int msgNo : new int[] { 0, 1, 3, 5, 6, 7, 8 }) {
			counter.received(1, msgNo, 1_000_000);
		}
		BitSet expected = new BitSet();
		expected.set(0, 10);

		DeliveryCounter.Counts counts = counter.counts(expected);

		assertThat(counts.expected()).isEqualTo(20);
		assertThat(counts.received()).isEqualTo(17);
		assertThat(counts.lost()).isEqualTo(3);
		assertThat(counts.duplicated()).isEqualTo(2);
		assertThat(counts.late()).isEqualTo(1);
		assertThat(counts.unexpected()).isZero();
	}

	@Test
	void aMessageNeverAcceptedButReceivedIsUnexpectedNotLost() {
		DeliveryCounter counter = new DeliveryCounter(1, LATE);
		counter.received(0, 0, 1);
		counter.received(0, 1, 1);
		BitSet expected = new BitSet();
		expected.set(0);

		DeliveryCounter.Counts counts = counter.counts(expected);

		assertThat(counts.lost()).isZero();
		assertThat(counts.unexpected()).isEqualTo(1);
	}

	@Test
	void eachConnectionCanExpectItsOwnMessages() {
		DeliveryCounter counter = new DeliveryCounter(2, LATE);
		counter.received(0, 0, 1);
		counter.received(1, 1, 1);
		BitSet even = new BitSet();
		even.set(0);
		BitSet odd = new BitSet();
		odd.set(1);

		assertThat(counter.counts(c -> c == 0 ? even : odd).lost()).isZero();
		assertThat(counter.hasAll(0, even)).isTrue();
		assertThat(counter.hasAll(0, odd)).isFalse();
	}

}
