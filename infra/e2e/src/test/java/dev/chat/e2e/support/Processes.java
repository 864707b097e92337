package dev.chat.e2e.support;

import java.io.IOException;
import java.nio.file.Files;

import dev.chat.stack.Component;

import static org.assertj.core.api.Assertions.assertThat;

/** What the failure tests do to a stack's processes, and read of them. */
public final class Processes {

	/** Sends {@code signal} ({@code STOP}, {@code CONT}, ...) to the process with {@code kill}. */
	public static void signal(ProcessHandle process, String signal) throws IOException, InterruptedException {
		Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).inheritIO().start();
		assertThat(kill.waitFor()).as("kill -%s %d", signal, process.pid()).isZero();
	}

	/** The lines of the component's log (appended to across its restarts) that contain {@code text}. */
	public static long logLines(Component component, String text) throws IOException {
		try (var lines = Files.lines(component.logFile())) {
			return lines.filter(line -> line.contains(text)).count();
		}
	}

	private Processes() {
	}

}
