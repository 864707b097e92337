package dev.chat.load.measure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What Linux says about one process, from {@code /proc}: resident memory and CPU time. Cheap
 * enough to sample every thousand connections. Heap comes from {@code jcmd}, which costs the
 * target a safepoint and the generator a JVM start, so only before and after a run.
 */
public final class ProcessStats {

	/** {@code /proc/PID/stat} counts CPU in clock ticks; 100 per second on every Linux we run on. */
	private static final double TICKS_PER_SECOND = 100.0;

	private final long pid;

	public ProcessStats(long pid) {
		this.pid = pid;
	}

	public long pid() {
		return pid;
	}

	/**
	 * The process recorded in a stack's pid file ({@code pid starttime}, see infra/stack's
	 * {@code Component}), or null when there is none or it is not running.
	 */
	public static ProcessStats fromPidFile(Path file) {
		try {
			long pid = Long.parseLong(Files.readString(file).trim().split("\\s+")[0]);
			return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(p -> new ProcessStats(pid)).orElse(null);
		}
		catch (IOException | NumberFormatException ex) {
			return null;
		}
	}

	/** Resident memory in bytes (VmRSS), -1 when unreadable. */
	public long rssBytes() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
				if (line.startsWith("VmRSS:")) {
					return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
				}
			}
		}
		catch (IOException ex) {
			// gone
		}
		return -1;
	}

	/** User plus system CPU seconds so far, -1 when unreadable. */
	public double cpuSeconds() {
		try {
			String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
			// The command name in parentheses may hold spaces: fields count from after it.
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
		}
		catch (IOException | RuntimeException ex) {
			return -1;
		}
	}

	/** The command line, NUL-separated in /proc, joined by spaces (the JVM flags of a gateway). */
	public List<String> commandLine() {
		try {
			return List.of(Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).split("\u0000"));
		}
		catch (IOException ex) {
			return List.of();
		}
	}

	/**
	 * Live heap in bytes: {@code jcmd PID GC.run} first (without it "used" counts garbage and says
	 * nothing per connection), then {@code GC.heap_info}; -1 when jcmd is missing or says nothing usable.
	 */
	public long heapUsedBytes() {
		jcmd("GC.run");
		String out = jcmd("GC.heap_info");
		// G1 prints one "garbage-first heap ... used NK" line, Serial and Parallel one per
		// generation (their space lines say "% used" and are skipped); Metaspace is not heap.
		long used = -1;
		for (String line : out.split("\n")) {
			if (line.contains("Metaspace") || line.contains("class space")) {
				continue;
			}
			// "DefNew total 89856K, used 79872K", "garbage-first heap total reserved ..., used 1234K"
			java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("total .*, used (\\d+)K").matcher(line);
			if (matcher.find()) {
				used = Math.max(used, 0) + Long.parseLong(matcher.group(1)) * 1024;
			}
		}
		return used;
	}

	private String jcmd(String command) {
		Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
		try {
			Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command)
				.redirectErrorStream(true)
				.start();
			String out = new String(process.getInputStream().readAllBytes());
			if (!process.waitFor(20, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				return "";
			}
			return out;
		}
		catch (IOException ex) {
			return "";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "";
		}
	}

}
