package dev.chat.load.measure;

import org.HdrHistogram.Histogram;

/**
 * The percentiles of one histogram of microseconds, in milliseconds.
 */
public record LatencySummary(long count, double p50, double p90, double p99, double p999, double max) {

	public static LatencySummary of(Histogram micros) {
		if (micros.getTotalCount() == 0) {
			return new LatencySummary(0, 0, 0, 0, 0, 0);
		}
		return new LatencySummary(micros.getTotalCount(), ms(micros.getValueAtPercentile(50)),
				ms(micros.getValueAtPercentile(90)), ms(micros.getValueAtPercentile(99)),
				ms(micros.getValueAtPercentile(99.9)), ms(micros.getMaxValue()));
	}

	private static double ms(long micros) {
		return Math.round(micros / 10.0) / 100.0;
	}

	@Override
	public String toString() {
		return "p50 %.2f p90 %.2f p99 %.2f p99.9 %.2f max %.2f ms (%,d)".formatted(p50, p90, p99, p999, max, count);
	}

}
