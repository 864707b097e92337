package dev.chat.load.measure;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Latencies in microseconds from many I/O threads at once. HdrHistogram's {@link Recorder}
 * records without locks and hands out the interval since the last read, so a scenario reads one
 * histogram per step.
 */
public final class LatencyRecorder {

	/** Anything above a minute is recorded as a minute: the range stays bounded in memory. */
	private static final long MAX_MICROS = 60_000_000;

	private final Recorder recorder = new Recorder(MAX_MICROS, 3);

	public void recordNanos(long nanos) {
		recordMicros(nanos / 1_000);
	}

	public void recordMicros(long micros) {
		recorder.recordValue(Math.max(0, Math.min(micros, MAX_MICROS)));
	}

	/** Everything recorded since the previous call (or since creation). */
	public Histogram interval() {
		return recorder.getIntervalHistogram();
	}

}
