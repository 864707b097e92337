package dev.chat.load.profile;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Collapsed stacks: how many samples had each stack, root first. The text form is the one
 * Brendan Gregg's {@code flamegraph.pl}, speedscope and async-profiler read and write:
 * {@code root;child;leaf 123}, one stack a line. Frame names never hold {@code ;} or a space (the
 * JVM allows neither in class or method names), so the format needs no escaping.
 */
final class Stacks {

	private final Map<List<String>, Long> counts = new HashMap<>();

	private long total;

	void add(List<String> rootFirst, long samples) {
		counts.merge(List.copyOf(rootFirst), samples, Long::sum);
		total += samples;
	}

	long total() {
		return total;
	}

	void forEach(BiConsumer<List<String>, Long> action) {
		counts.forEach(action);
	}

	/** The stacks with at least one frame containing a match of {@code frame}. */
	Stacks containing(Pattern frame) {
		Stacks kept = new Stacks();
		counts.forEach((stack, samples) -> {
			if (stack.stream().anyMatch(name -> frame.matcher(name).find())) {
				kept.add(stack, samples);
			}
		});
		return kept;
	}

	/** Sorted, so that two runs diff line by line and identical prefixes sit together. */
	String collapsed() {
		return counts.entrySet()
			.stream()
			.map(entry -> String.join(";", entry.getKey()) + " " + entry.getValue())
			.sorted()
			.collect(Collectors.joining("\n", "", counts.isEmpty() ? "" : "\n"));
	}

	static Stacks parse(String collapsed) {
		Stacks stacks = new Stacks();
		for (String line : collapsed.split("\n")) {
			int space = line.lastIndexOf(' ');
			if (space > 0) {
				stacks.add(List.of(line.substring(0, space).split(";")), Long.parseLong(line.substring(space + 1).trim()));
			}
		}
		return stacks;
	}

}
