package dev.chat.load.profile;

import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The command line of {@link FlameGraph}. The regexes are searched for, not matched whole, so
 * {@code --thread=reactor-http} finds {@code reactor-http-epoll-3}.
 *
 * @param thread keeps only samples of threads whose name contains a match
 * @param include keeps only stacks with at least one frame containing a match
 */
record FlameOptions(Path recording, Path svg, String title, Optional<Pattern> thread, Optional<Pattern> include) {

	static final String USAGE = "usage: FlameGraph <recording.jfr> <out.svg> [--title=...] [--thread=<regex>] [--include=<frame-regex>]";

	static FlameOptions parse(String... args) {
		Path recording = null, svg = null;
		String title = null;
		Optional<Pattern> thread = Optional.empty(), include = Optional.empty();
		for (String arg : args) {
			if (arg.startsWith("--title=")) {
				title = value(arg);
			}
			else if (arg.startsWith("--thread=")) {
				thread = Optional.of(pattern(arg));
			}
			else if (arg.startsWith("--include=")) {
				include = Optional.of(pattern(arg));
			}
			else if (arg.startsWith("--")) {
				throw new IllegalArgumentException("unknown option " + arg);
			}
			else if (recording == null) {
				recording = Path.of(arg);
			}
			else if (svg == null) {
				svg = Path.of(arg);
			}
			else {
				throw new IllegalArgumentException("one recording and one output only, not also " + arg);
			}
		}
		if (svg == null) {
			throw new IllegalArgumentException("a recording and an output file are needed");
		}
		return new FlameOptions(recording, svg, title != null ? title : "Flame graph: " + recording.getFileName(),
				thread, include);
	}

	/** {@code flame.svg} gives {@code flame.collapsed}: the pair sits side by side in a listing. */
	Path collapsed() {
		String name = svg.getFileName().toString();
		String base = name.endsWith(".svg") ? name.substring(0, name.length() - 4) : name;
		return svg.resolveSibling(base + ".collapsed");
	}

	/** What the samples were filtered by, for the graph's header; empty when nothing was. */
	String filters() {
		StringBuilder out = new StringBuilder();
		thread.ifPresent(p -> out.append(", thread ~ /").append(p).append('/'));
		include.ifPresent(p -> out.append(", stacks with a frame ~ /").append(p).append('/'));
		return out.toString();
	}

	private static String value(String arg) {
		return arg.substring(arg.indexOf('=') + 1);
	}

	private static Pattern pattern(String arg) {
		try {
			return Pattern.compile(value(arg));
		}
		catch (PatternSyntaxException ex) {
			throw new IllegalArgumentException("not a regex in " + arg + ": " + ex.getDescription());
		}
	}

}
