package dev.chat.load;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code --key=value} options of one bench run, with each scenario's defaults filled in, so
 * the report lists every value the run used, asked for or not.
 *
 * @param scenario the scenario's name
 * @param values every option, defaults included
 */
public record Options(String scenario, Map<String, String> values) {

	public Options {
		values = Map.copyOf(values);
	}

	/** Parses {@code --key=value} and {@code --flag} arguments over the defaults; unknown keys are an error. */
	public static Options parse(String scenario, List<String> args, Map<String, String> defaults) {
		Map<String, String> values = new LinkedHashMap<>(defaults);
		for (String arg : args) {
			if (!arg.startsWith("--")) {
				throw new IllegalArgumentException("not an option: " + arg + " (options are --key=value)");
			}
			int eq = arg.indexOf('=');
			String key = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
			String value = eq < 0 ? "true" : arg.substring(eq + 1);
			if (!defaults.containsKey(key)) {
				throw new IllegalArgumentException("unknown option --" + key + " for " + scenario + " (known: "
						+ String.join(", ", defaults.keySet()) + ")");
			}
			values.put(key, value);
		}
		if (Boolean.parseBoolean(values.getOrDefault("smoke", "false"))) {
			// --smoke: tiny sizes for CI, unless given explicitly.
			Set<String> given = new java.util.HashSet<>();
			args.forEach(a -> given.add(a.substring(2, a.indexOf('=') < 0 ? a.length() : a.indexOf('='))));
			Scenarios.smoke(scenario).forEach((key, value) -> {
				if (!given.contains(key)) {
					values.put(key, value);
				}
			});
		}
		return new Options(scenario, values);
	}

	public Options with(String key, String value) {
		Map<String, String> copy = new LinkedHashMap<>(values);
		copy.put(key, value);
		return new Options(scenario, copy);
	}

	public String string(String key) {
		String value = values.get(key);
		if (value == null) {
			throw new IllegalArgumentException("no option --" + key);
		}
		return value;
	}

	public int integer(String key) {
		return Integer.parseInt(string(key).replace("_", ""));
	}

	public double decimal(String key) {
		return Double.parseDouble(string(key));
	}

	public boolean flag(String key) {
		return Boolean.parseBoolean(values.getOrDefault(key, "false"));
	}

	/** A duration: {@code 20s}, {@code 500ms}, {@code 2m}, or plain seconds. */
	public Duration duration(String key) {
		String value = string(key);
		if (value.endsWith("ms")) {
			return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
		}
		if (value.endsWith("s")) {
			return Duration.ofMillis(Math.round(Double.parseDouble(value.substring(0, value.length() - 1)) * 1000));
		}
		if (value.endsWith("m")) {
			return Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)) * 60);
		}
		return Duration.ofMillis(Math.round(Double.parseDouble(value) * 1000));
	}

	public List<Integer> integers(String key) {
		return Arrays.stream(string(key).split(",")).map(String::trim).map(Integer::parseInt).toList();
	}

}
