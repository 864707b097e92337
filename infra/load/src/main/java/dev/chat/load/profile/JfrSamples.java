package dev.chat.load.profile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * The CPU samples of a recording, as collapsed stacks. {@code jdk.CPUTimeSample} (JDK 25, Linux)
 * is taken when the recording has any: it samples by CPU time consumed, native code included, so
 * a thread spinning in a syscall or in the JIT's intrinsics counts. Otherwise
 * {@code jdk.ExecutionSample}, which samples by wall clock and only threads in Java code.
 * {@code jdk.NativeMethodSample} is never read: it samples threads waiting in native code, mostly
 * in epoll_wait, which is idle time, not CPU.
 */
final class JfrSamples {

	static final String CPU_TIME = "jdk.CPUTimeSample", CPU_TIME_LOST = "jdk.CPUTimeSamplesLost",
			EXECUTION = "jdk.ExecutionSample";

	/**
	 * The samples of one event type.
	 *
	 * @param skipped samples without a stack trace
	 * @param lost CPU-time samples the JVM dropped because its queue was full: many mean the
	 * throttle asks for more than the sampler keeps up with, and short bursts are under-counted
	 */
	record Profile(String event, Stacks stacks, long skipped, long lost) {
	}

	private final Frames frames = new Frames();

	private final Optional<Pattern> thread;

	private final Stacks cpuTime = new Stacks(), execution = new Stacks();

	private long cpuTimeEvents, cpuTimeSkipped, cpuTimeLost, executionSkipped;

	private JfrSamples(Optional<Pattern> thread) {
		this.thread = thread;
	}

	/** The samples of threads whose name contains a match of {@code thread}, when given. */
	static Profile read(Path recording, Optional<Pattern> thread) throws IOException {
		JfrSamples samples = new JfrSamples(thread);
		try (RecordingFile file = new RecordingFile(recording)) {
			while (file.hasMoreEvents()) {
				samples.accept(file.readEvent());
			}
		}
		// Chosen by what the recording holds, not by what the thread filter left, so that a filter
		// matching no thread gives no samples rather than quietly the other event's
		return samples.cpuTimeEvents > 0
				? new Profile(CPU_TIME, samples.cpuTime, samples.cpuTimeSkipped, samples.cpuTimeLost)
				: new Profile(EXECUTION, samples.execution, samples.executionSkipped, 0);
	}

	private void accept(RecordedEvent event) {
		switch (event.getEventType().getName()) {
			case CPU_TIME -> {
				cpuTimeEvents++;
				// a failed sample is a tick whose stack could not be walked: CPU was used, but nowhere known
				boolean failed = event.hasField("failed") && event.getBoolean("failed");
				if (failed || !add(cpuTime, event, event.getThread("eventThread"))) {
					cpuTimeSkipped++;
				}
			}
			case CPU_TIME_LOST -> cpuTimeLost += event.hasField("lostSamples") ? event.getLong("lostSamples") : 0;
			case EXECUTION -> {
				if (!add(execution, event, event.getThread("sampledThread"))) {
					executionSkipped++;
				}
			}
			default -> {
			}
		}
	}

	/** False when the sample has no stack; true when it was counted or filtered out. */
	private boolean add(Stacks stacks, RecordedEvent event, RecordedThread sampled) {
		if (event.getStackTrace() == null || sampled == null) {
			return false;
		}
		if (thread.isPresent() && !thread.get().matcher(name(sampled)).find()) {
			return true;
		}
		stacks.add(frames.rootFirst(event.getStackTrace()), 1);
		return true;
	}

	private static String name(RecordedThread thread) {
		return thread.getJavaName() != null ? thread.getJavaName() : String.valueOf(thread.getOSName());
	}

}
