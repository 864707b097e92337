package dev.chat.e2e.messages;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.chat.stack.Stack;

/**
 * What a measurement ran against on a shared machine: the load average, and the CPU time the
 * measured processes used. Latency on a busy machine mostly measures the machine; CPU time per
 * request measures the service.
 */
final class MachineLoad {

	private final Stack stack;

	private final List<String> components;

	private final Map<String, Duration> before = new LinkedHashMap<>();

	private MachineLoad(Stack stack, List<String> components) {
		this.stack = stack;
		this.components = components;
		components.forEach(name -> before.put(name, cpu(name)));
	}

	/** Starts counting the CPU time of the stack's {@code components}. */
	static MachineLoad of(Stack stack, String... components) {
		return new MachineLoad(stack, List.of(components));
	}

	/** CPU milliseconds each component used since this was created, per one of {@code count} operations. */
	String cpuPer(int count) {
		StringBuilder text = new StringBuilder();
		for (String name : components) {
			double millis = (cpu(name).minus(before.get(name)).toNanos() / 1e6) / count;
			text.append(String.format("%s %.2f ms  ", name, millis));
		}
		return text.append("CPU each; load average ").append(loadAverage()).toString().strip();
	}

	private Duration cpu(String component) {
		return stack.component(component)
			.process()
			.flatMap(process -> process.info().totalCpuDuration())
			.orElse(Duration.ZERO);
	}

	/** The 1-minute load average (the machine has {@code nproc} cores). */
	static String loadAverage() {
		try {
			return Files.readString(Path.of("/proc/loadavg")).split(" ")[0] + " on "
					+ Runtime.getRuntime().availableProcessors() + " cores";
		}
		catch (IOException | RuntimeException ex) {
			return "unknown";
		}
	}

}
