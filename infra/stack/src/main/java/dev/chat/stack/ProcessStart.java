package dev.chat.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * When a process started, in a form that tells it apart from a later process given the same pid.
 *
 * <p>
 * {@link ProcessHandle.Info#startInstant()} is not enough on its own: Linux derives it from the
 * wall clock minus the uptime, so a step of the clock (an NTP correction, a resumed virtual
 * machine) moves it, and a stack recorded before the step would look gone and never be stopped.
 * The kernel's own start time, in clock ticks since boot (field 22 of {@code /proc/PID/stat}),
 * does not move; it is used wherever {@code /proc} exists.
 */
final class ProcessStart {

	private ProcessStart() {
	}

	/** The process's start in clock ticks since boot, or empty where {@code /proc} is unreadable. */
	static OptionalLong ticks(long pid) {
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
