package dev.chat.load.profile;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A flame graph of the CPU samples in a JFR recording, with the JDK's own reader so that nothing
 * needs installing next to the gateway: record with {@code -XX:StartFlightRecording}, then
 *
 * <pre>
 * FlameGraph &lt;recording.jfr&gt; &lt;out.svg&gt; [--title=...] [--thread=&lt;regex&gt;] [--include=&lt;frame-regex&gt;]
 * </pre>
 *
 * writes {@code out.svg}, the collapsed stacks as {@code out.collapsed} (for flamegraph.pl,
 * speedscope or a diff of two runs) and prints the top frames by self and by total samples as
 * markdown, for the docs. Exit status 0 when written, 1 when no sample was left to draw, 2 for a
 * wrong command line.
 */
public final class FlameGraph {

	static final int TOP = 15;

	/** Frames under this share of all samples are left out of the SVG (not out of the tables or the collapsed file). */
	static final double MIN_SHARE = 0.001;

	private FlameGraph() {
	}

	public static void main(String[] args) throws IOException {
		int status = run(System.out, System.err, args);
		if (status != 0) {
			System.exit(status);
		}
	}

	static int run(PrintStream out, PrintStream err, String... args) throws IOException {
		FlameOptions options;
		try {
			options = FlameOptions.parse(args);
		}
		catch (IllegalArgumentException ex) {
			err.println(ex.getMessage());
			err.println(FlameOptions.USAGE);
			return 2;
		}
		if (!Files.isReadable(options.recording())) {
			err.println("no readable recording at " + options.recording());
			return 2;
		}
		JfrSamples.Profile profile = JfrSamples.read(options.recording(), options.thread());
		Stacks stacks = options.include().map(profile.stacks()::containing).orElse(profile.stacks());
		if (stacks.total() == 0) {
			err.println("no %s samples left in %s%s (%d without a stack trace)".formatted(profile.event(),
					options.recording(), options.filters(), profile.skipped()));
			return 1;
		}
		write(options, profile, stacks);
		out.print(FrameCounts.of(stacks).markdown(TOP));
		return 0;
	}

	private static void write(FlameOptions options, JfrSamples.Profile profile, Stacks stacks) throws IOException {
		long samples = stacks.total();
		FlameLayout layout = FlameLayout.of(FrameNode.of(stacks), (long) Math.ceil(samples * MIN_SHARE));
		String lost = profile.lost() == 0 ? "" : String.format(Locale.ROOT, ", %,d lost by the sampler", profile.lost());
		String subtitle = String.format(Locale.ROOT, "%,d samples (%s%s)%s; frames under %.1f%% left out", samples,
				profile.event(), lost, options.filters(), MIN_SHARE * 100);
		Path parent = options.svg().toAbsolutePath().getParent();
		if (parent != null) {
			Files.createDirectories(parent);
		}
		Files.writeString(options.svg(), FlameSvg.render(layout, samples, options.title(), subtitle));
		Files.writeString(options.collapsed(), stacks.collapsed());
	}

}
