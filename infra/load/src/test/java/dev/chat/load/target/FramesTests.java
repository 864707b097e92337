package dev.chat.load.target;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FramesTests {

	private static final String MESSAGE = "{\"type\":\"message\",\"roomId\":\"r1\",\"id\":\"m1\",\"seq\":7,"
			+ "\"senderId\":\"u1\",\"body\":\"run:3:123:xx\",\"sentAt\":\"2025-03-04T05:06:07.089Z\","
			+ "\"clientMsgId\":\"b1-0-1\"}";

	@Test
	void sentAtIsReadAsEpochMilliseconds() {
		assertThat(Frames.sentAtMillis(MESSAGE))
			.isEqualTo(Instant.parse("2025-03-04T05:06:07.089Z").toEpochMilli());
	}

	@Test
	void aSentAtOnAWholeSecondHasNoFraction() {
		String frame = MESSAGE.replace("07.089Z", "07Z");

		assertThat(Frames.sentAtMillis(frame)).isEqualTo(Instant.parse("2025-03-04T05:06:07Z").toEpochMilli());
	}

	@Test
	void noOrAnUnparseableSentAtIsNone() {
		assertThat(Frames.sentAtMillis("{\"type\":\"ack\",\"clientMsgId\":\"x\"}"))
			.isEqualTo(SentAtDeliveries.NO_SENT_AT);
		assertThat(Frames.sentAtMillis(MESSAGE.replace("2025-03-04T05:06:07.089Z", "yesterday")))
			.isEqualTo(SentAtDeliveries.NO_SENT_AT);
		assertThat(Frames.sentAtMillis("{\"sentAt\":\"2025-03-04T05")).isEqualTo(SentAtDeliveries.NO_SENT_AT);
	}

	@Test
	void theBodyStillComesOutOfTheSameFrame() {
		assertThat(Frames.body(MESSAGE)).isEqualTo("run:3:123:xx");
		assertThat(Frames.number(MESSAGE, "seq")).isEqualTo(7);
	}

}
