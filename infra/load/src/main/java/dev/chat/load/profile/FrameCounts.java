package dev.chat.load.profile;

import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Samples per frame name across the whole graph, where one method may sit under many callers:
 * self counts the samples where it was the leaf, total those where it was anywhere on the stack.
 * A recursive method counts once per sample in total, or {@code total} could pass 100 %.
 */
final class FrameCounts {

	/** One frame's samples. */
	record Count(String frame, long self, long total) {
	}

	private final Map<String, long[]> counts = new HashMap<>();

	private final long samples;

	private FrameCounts(long samples) {
		this.samples = samples;
	}

	static FrameCounts of(Stacks stacks) {
		FrameCounts result = new FrameCounts(stacks.total());
		stacks.forEach((stack, samples) -> {
			for (String frame : new HashSet<>(stack)) {
				result.counts.computeIfAbsent(frame, f -> new long[2])[1] += samples;
			}
			if (!stack.isEmpty()) {
				result.counts.get(stack.getLast())[0] += samples;
			}
		});
		return result;
	}

	Count count(String frame) {
		long[] c = counts.getOrDefault(frame, new long[2]);
		return new Count(frame, c[0], c[1]);
	}

	/** Only frames that were a leaf at least once: a zero row says nothing. */
	List<Count> topBySelf(int n) {
		return top(n, Comparator.comparingLong(Count::self).thenComparingLong(Count::total))
			.stream()
			.filter(c -> c.self() > 0)
			.toList();
	}

	List<Count> topByTotal(int n) {
		return top(n, Comparator.comparingLong(Count::total).thenComparingLong(Count::self));
	}

	/** Both top lists as markdown tables, for the docs; frame names in code spans so {@code <init>} survives. */
	String markdown(int n) {
		StringBuilder out = new StringBuilder();
		out.append("Top ").append(n).append(" frames by self samples (of ").append(samples).append(")\n\n");
		out.append("| # | frame | self | self % | total % |\n|---|-------|-----:|-------:|--------:|\n");
		List<Count> bySelf = topBySelf(n);
		for (int i = 0; i < bySelf.size(); i++) {
			Count c = bySelf.get(i);
			out.append(row(i + 1, c.frame(), c.self(), percent(c.self()), percent(c.total())));
		}
		out.append("\nTop ").append(n).append(" frames by total (inclusive) samples (of ").append(samples).append(")\n\n");
		out.append("| # | frame | total | total % | self % |\n|---|-------|------:|--------:|-------:|\n");
		List<Count> byTotal = topByTotal(n);
		for (int i = 0; i < byTotal.size(); i++) {
			Count c = byTotal.get(i);
			out.append(row(i + 1, c.frame(), c.total(), percent(c.total()), percent(c.self())));
		}
		return out.toString();
	}

	private List<Count> top(int n, Comparator<Count> order) {
		return counts.keySet()
			.stream()
			.map(this::count)
			.sorted(order.reversed().thenComparing(Count::frame))
			.limit(n)
			.toList();
	}

	private String percent(long count) {
		return String.format(Locale.ROOT, "%.2f", samples == 0 ? 0.0 : 100.0 * count / samples);
	}

	private static String row(int rank, String frame, long count, String first, String second) {
		return "| %d | `%s` | %d | %s | %s |\n".formatted(rank, frame, count, first, second);
	}

}
