package dev.chat.load.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * One run's record: what was measured, on what, with which options. Written as
 * {@code <scenario>-<timestamp>.json}, the same tables as {@code .txt}, and the charts as
 * {@code .svg} beside them.
 *
 * @param gatewayCommandLine the gateway's JVM flags and arguments, from /proc/PID/cmdline
 * @param pinning what {@code --pin} did, or {@code none}
 */
public record Report(String scenario, Instant startedAt, double seconds, Machine machine, Map<String, String> options,
		List<String> gatewayCommandLine, String pinning, boolean epoll, Result result) {

	private static final JsonMapper JSON = JsonMapper.builder().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS).build();

	private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

	public String text() {
		StringBuilder out = new StringBuilder();
		out.append("## bench ").append(scenario).append(" (").append(startedAt).append(", %.0f s)\n\n".formatted(seconds));
		out.append("machine: %d cpus, %s, %.1f GiB; %s; epoll %s; pinning %s%n%n".formatted(machine.cpus(),
				machine.model(), machine.memoryBytes() / 1073741824.0, machine.java(), epoll, pinning));
		for (Table table : result.tables()) {
			out.append(table.markdown()).append('\n');
		}
		out.append("options: ").append(new java.util.TreeMap<>(options)).append('\n');
		return out.toString();
	}

	/** Writes the JSON, text and charts into {@code dir}; returns the JSON's path. */
	public Path write(Path dir) throws IOException {
		Files.createDirectories(dir);
		String name = scenario + "-" + STAMP.format(startedAt);
		Path json = dir.resolve(name + ".json");
		JSON.writerWithDefaultPrettyPrinter().writeValue(json.toFile(), this);
		Files.writeString(dir.resolve(name + ".txt"), text());
		for (Chart chart : result.charts()) {
			Files.writeString(dir.resolve(name + "-" + chart.name() + ".svg"), chart.svg());
		}
		return json;
	}

}
