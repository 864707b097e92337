package dev.chat.load.measure;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class HopLogTests {

	@Test
	void theThreeHopsSplitSendToDeliveredAtTheAckAndTheStoreTime() {
		// Sent at epoch 1,000,000 ms (nanoTime 5 s), acked 3 ms later, stored at epoch +10 ms,
		// read 25 ms after the send.
		long send = 5_000_000_000L;
		HopLog.Hop hop = HopLog.hop(send, 1_000_000, send + 3_000_000, 1_000_010, send + 25_000_000);

		assertThat(hop.sendToAck()).isCloseTo(3, within(1e-9));
		assertThat(hop.ackToStored()).isCloseTo(7, within(1e-9));
		assertThat(hop.storedToDelivered()).isCloseTo(15, within(1e-9));
		assertThat(hop.sendToDelivered()).isCloseTo(25, within(1e-9));
	}

	@Test
	void aStoreTimeBeforeTheAckComesOutNegative() {
		HopLog.Hop hop = HopLog.hop(0, 1_000, 2_500_000, 1_002, 10_000_000);

		assertThat(hop.ackToStored()).isCloseTo(-0.5, within(1e-9));
		assertThat(hop.storedToDelivered()).isCloseTo(8, within(1e-9));
	}

	@Test
	void theBreakdownCountsOnlyMessagesOfTheRangeWithEveryReading() {
		HopLog log = new HopLog(10);
		for (int msgNo = 0; msgNo < 10; msgNo++) {
			long send = msgNo * 1_000_000_000L;
			long epoch = 2_000_000 + msgNo * 1_000L;
			log.sent(msgNo, send, epoch);
			if (msgNo != 4) {
				log.acked(msgNo, send + 2_000_000);
			}
			if (msgNo != 5) {
				log.delivered(msgNo, send + 12_000_000, epoch + 4);
			}
		}
		// No sentAt in the frame: not a sample.
		log.delivered(6, 1, HopLog.none());

		HopLog.Breakdown breakdown = log.breakdown(2, 6);

		// 2..7 without 4 (no ack) and 5 (no delivery).
		assertThat(breakdown.samples()).isEqualTo(4);
		assertThat(breakdown.sendToAck().p50()).isEqualTo(2.0);
		assertThat(breakdown.ackToStored().p99()).isEqualTo(2.0);
		assertThat(breakdown.storedToDelivered().p50()).isEqualTo(8.0);
		assertThat(breakdown.sendToDelivered().max()).isCloseTo(12.0, within(0.02));
		assertThat(breakdown.negative()).isZero();
	}

	@Test
	void negativeHopsAreCountedAndRecordedAsZero() {
		HopLog log = new HopLog(1);
		log.sent(0, 0, 1_000);
		log.acked(0, 3_000_000);
		log.delivered(0, 9_000_000, 1_002);

		HopLog.Breakdown breakdown = log.breakdown(0, 1);

		assertThat(breakdown.negative()).isEqualTo(1);
		assertThat(breakdown.ackToStored().max()).isZero();
		assertThat(breakdown.storedToDelivered().p50()).isEqualTo(7.0);
	}

	@Test
	void readingsOutsideTheLogAreIgnored() {
		HopLog log = new HopLog(2);
		log.sent(5, 1, 1);
		log.acked(-1, 1);
		log.delivered(2, 1, 1);

		assertThat(log.breakdown(0, 10).samples()).isZero();
	}

}
