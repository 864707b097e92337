package dev.chat.e2e.messages;

import java.util.Arrays;
import java.util.Collection;

/**
 * Percentiles of a set of latencies in nanoseconds, printed in milliseconds.
 *
 * @param count how many were measured
 * @param p50 the median, ms
 * @param p99 the 99th percentile, ms
 * @param max the slowest, ms
 */
record Latencies(int count, double p50, double p99, double max) {

	static Latencies of(Collection<Long> nanos) {
		long[] sorted = nanos.stream().mapToLong(Long::longValue).toArray();
		Arrays.sort(sorted);
		if (sorted.length == 0) {
			return new Latencies(0, Double.NaN, Double.NaN, Double.NaN);
		}
		return new Latencies(sorted.length, millis(percentile(sorted, 50)), millis(percentile(sorted, 99)),
				millis(sorted[sorted.length - 1]));
	}

	private static long percentile(long[] sorted, int percent) {
		int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
		return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
	}

	private static double millis(long nanos) {
		return nanos / 1_000_000.0;
	}

	@Override
	public String toString() {
		return String.format("n=%,d p50=%.1f ms p99=%.1f ms max=%.1f ms", count, p50, p99, max);
	}

}
