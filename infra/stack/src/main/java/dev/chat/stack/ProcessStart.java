package dev.chat.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * When a process started, in a form that tells it apart from a later process given the same pid:
 * what a pid file records after the pid.
 *
 * <p>
 * {@link ProcessHandle.Info#startInstant()} is not enough on its own: Linux derives it from the
 * wall clock minus the uptime, so a step of the clock (an NTP correction, a resumed virtual
 * machine) moves it, and a stack recorded before the step would look gone and never be stopped.
 * The kernel's own start time, in clock ticks since boot (field 22 of {@code /proc/PID/stat}),
 * does not move; it decides wherever {@code /proc} exists, and the instant elsewhere (and for pid
 * files written before the ticks were recorded).
 *
 * @param epochMillis the start instant as Java reports it
 * @param ticks the kernel's start time in clock ticks since boot, where {@code /proc} is readable
 */
record ProcessStart(long epochMillis, OptionalLong ticks) {

	/** The start of a running process. */
	static ProcessStart of(ProcessHandle process) {
		return new ProcessStart(startMillis(process, Instant.EPOCH.toEpochMilli()), ticks(process.pid()));
	}

	/** Reads what {@link #format()} wrote: the instant, then the ticks if recorded. */
	static ProcessStart parse(String formatted) {
		String[] fields = formatted.trim().split(" ");
		return new ProcessStart(Long.parseLong(fields[0]),
				fields.length > 1 ? OptionalLong.of(Long.parseLong(fields[1])) : OptionalLong.empty());
	}

	/** The fields of a pid file after the pid, separated by spaces. */
	String format() {
		return epochMillis + (ticks.isPresent() ? " " + ticks.getAsLong() : "");
	}

	/** Whether the process is the one that started then, and not a later one under the same pid. */
	boolean isStartOf(ProcessHandle process) {
		OptionalLong now = ticks(process.pid());
		if (ticks.isPresent() && now.isPresent()) {
			return ticks.getAsLong() == now.getAsLong();
		}
		return startMillis(process, -1) == epochMillis;
	}

	private static long startMillis(ProcessHandle process, long unknown) {
		return process.info().startInstant().map(Instant::toEpochMilli).orElse(unknown);
	}

	private static OptionalLong ticks(long pid) {
		try {
			String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
			// The command name (field 2) is in parentheses and may hold spaces: count after it.
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
			return OptionalLong.of(Long.parseLong(fields[19]));
		}
		catch (IOException | RuntimeException unreadable) {
			return OptionalLong.empty();
		}
	}

}
