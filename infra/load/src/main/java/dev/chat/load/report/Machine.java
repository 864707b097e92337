package dev.chat.load.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine a run measured on: numbers from two different machines are not comparable.
 *
 * @param cpus processors the generator's JVM sees
 * @param model the first {@code model name} of /proc/cpuinfo
 * @param memoryBytes MemTotal of /proc/meminfo
 * @param java the generator's Java version
 */
public record Machine(int cpus, String model, long memoryBytes, String java) {

	public static Machine current() {
		return new Machine(Runtime.getRuntime().availableProcessors(), field("/proc/cpuinfo", "model name"),
				parseKb(field("/proc/meminfo", "MemTotal")), System.getProperty("java.vm.name") + " "
						+ System.getProperty("java.runtime.version"));
	}

	private static String field(String file, String name) {
		try {
			return Files.readAllLines(Path.of(file))
				.stream()
				.filter(line -> line.startsWith(name))
				.map(line -> line.substring(line.indexOf(':') + 1).trim())
				.findFirst()
				.orElse("unknown");
		}
		catch (IOException ex) {
			return "unknown";
		}
	}

	private static long parseKb(String value) {
		String digits = value.replaceAll("[^0-9]", "");
		return digits.isEmpty() ? -1 : Long.parseLong(digits) * 1024;
	}

}
