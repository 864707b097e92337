package dev.chat.load.measure;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LatencyRecorderTests {

	@Test
	void percentilesOfAUniformInputAreWhereTheyShouldBe() {
		LatencyRecorder recorder = new LatencyRecorder();
		for (int micros = 1; micros <= 10_000; micros++) {
			recorder.recordMicros(micros);
		}

		Histogram histogram = recorder.interval();
		LatencySummary summary = LatencySummary.of(histogram);

		// Three significant digits: within 0.1 %, plus the 0.01 ms rounding of the summary.
		assertThat(histogram.getValueAtPercentile(50)).isCloseTo(5_000, within(5L));
		assertThat(histogram.getValueAtPercentile(99)).isCloseTo(9_900, within(10L));
		assertThat(summary.count()).isEqualTo(10_000);
		assertThat(summary.p50()).isCloseTo(5.0, within(0.02));
		assertThat(summary.p99()).isCloseTo(9.9, within(0.02));
		assertThat(summary.max()).isCloseTo(10.0, within(0.02));
	}

	@Test
	void eachIntervalHoldsOnlyWhatWasRecordedSinceThePreviousOne() {
		LatencyRecorder recorder = new LatencyRecorder();
		recorder.recordNanos(3_000_000);
		assertThat(recorder.interval().getTotalCount()).isEqualTo(1);
		assertThat(recorder.interval().getTotalCount()).isZero();
	}

	@Test
	void valuesBeyondTheRangeAreClampedNotLost() {
		LatencyRecorder recorder = new LatencyRecorder();
		recorder.recordMicros(Long.MAX_VALUE / 2);
		recorder.recordMicros(-5);
		assertThat(recorder.interval().getTotalCount()).isEqualTo(2);
	}

}
