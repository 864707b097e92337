package dev.chat.load.profile;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;

/**
 * Turns JFR stack traces into frame names, {@code class.method}, root first. Names of generated
 * classes are normalised so that one lambda or proxy is one frame across runs and across the
 * instances the JVM spins: {@code Foo$$Lambda.0x0000007f01234} and {@code Foo$$Lambda$14/0x...}
 * are both {@code Foo$$Lambda}; other hidden classes ({@code LambdaForm$MH.0x...}) lose their
 * address; {@code $Proxy57} and {@code $$SpringCGLIB$$0} lose their counter.
 */
final class Frames {

	/**
	 * The root of a stack that JFR cut at its depth limit (64 frames unless {@code stackdepth} is
	 * raised): without it the cut stacks would pose as roots of their own, beside {@code Thread.run}.
	 */
	static final String TRUNCATED = "[truncated]";

	private static final Pattern LAMBDA = Pattern.compile("\\$\\$Lambda(\\$\\d+)?([./]0x\\p{XDigit}+)?");

	private static final Pattern HIDDEN = Pattern.compile("[./]0x\\p{XDigit}+");

	private static final Pattern COUNTER = Pattern.compile("(\\$Proxy|\\$\\$SpringCGLIB)(?:\\$\\$)?\\d+");

	/** Class names repeat in every sample: normalise each once. */
	private final Map<String, String> types = new HashMap<>();

	static String normalise(String type) {
		String name = LAMBDA.matcher(type).replaceAll("\\$\\$Lambda");
		name = HIDDEN.matcher(name).replaceAll("");
		return COUNTER.matcher(name).replaceAll("$1");
	}

	/** The frames of a stack trace, root first. */
	List<String> rootFirst(RecordedStackTrace trace) {
		List<RecordedFrame> frames = trace.getFrames();
		String[] names = new String[frames.size() + (trace.isTruncated() ? 1 : 0)];
		int i = names.length;
		for (RecordedFrame frame : frames) {
			names[--i] = name(frame);
		}
		if (trace.isTruncated()) {
			names[0] = TRUNCATED;
		}
		return List.of(names);
	}

	private String name(RecordedFrame frame) {
		String type = frame.getMethod().getType().getName();
		return types.computeIfAbsent(type, Frames::normalise) + "." + frame.getMethod().getName();
	}

}
