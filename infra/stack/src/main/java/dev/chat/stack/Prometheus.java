package dev.chat.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Prometheus server ({@code ./chat up --monitoring}; Debian's package, installed by
 * {@code infra/bin/packages.sh}) scraping every service process of the stack on loopback: each
 * instance's {@code /actuator/prometheus} on its own port, every gateway node included. It runs
 * as this stack's process with its own configuration and data under the state directory, never
 * as Debian's service, listens on 127.0.0.1 only, and sends nothing anywhere: no remote write,
 * no alerting target.
 *
 * <p>
 * One job per service (the Maven module), one target per process, labelled with the process
 * name ({@code process="gateway-2"}), so a dashboard can sum over a service or split by node.
 */
final class Prometheus extends Component {

	/** Scrapes every 5 s: fine-grained enough for a local dashboard. */
	static final String SCRAPE_INTERVAL = "5s";

	private static final List<Path> BINARIES = List.of(Path.of("/usr/bin/prometheus"),
			Path.of("/usr/local/bin/prometheus"));

	private final List<SpringService> targets;

	/**
	 * @param targets the processes to scrape: every service process of the stack
	 */
	Prometheus(StackConfig config, List<SpringService> targets) {
		super(config, "prometheus");
		this.targets = List.copyOf(targets);
	}

	@Override
	public List<Integer> ports() {
		return List.of(config.ports().prometheus());
	}

	@Override
	public String endpoint() {
		return String.format("%-18s http://localhost:%d (scrapes %d processes every %s)", name(),
				config.ports().prometheus(), targets.size(), SCRAPE_INTERVAL);
	}

	private Path dir() {
		return config.dataDir().resolve("prometheus");
	}

	Path configFile() {
		return dir().resolve("prometheus.yml");
	}

	static Path binary() throws IOException {
		return BINARIES.stream()
			.filter(Files::isExecutable)
			.findFirst()
			.orElseThrow(() -> new IOException(
					"prometheus is not installed; run infra/bin/packages.sh prometheus (Debian's prometheus package)"));
	}

	@Override
	protected void prepare() throws IOException {
		binary();
		Files.createDirectories(dir().resolve("data"));
		Files.writeString(configFile(), configuration());
	}

	/** The configuration, written anew at every start from the stack's processes. */
	String configuration() {
		Map<String, List<SpringService>> byService = new TreeMap<>();
		for (SpringService target : targets) {
			byService.computeIfAbsent(target.module(), module -> new ArrayList<>()).add(target);
		}
		StringBuilder jobs = new StringBuilder();
		byService.forEach((module, processes) -> {
			jobs.append("""
					  - job_name: %s
					    metrics_path: /actuator/prometheus
					    static_configs:
					""".formatted(module));
			for (SpringService process : processes) {
				jobs.append("""
						      - targets: ["127.0.0.1:%d"]
						        labels:
						          process: %s
						""".formatted(process.port(), process.name()));
			}
		});
		return """
				# Written by the stack launcher at every start (infra/stack Prometheus.java): edits are lost.
				global:
				  scrape_interval: %s
				  scrape_timeout: 4s
				  evaluation_interval: %s
				  external_labels:
				    stack: %s

				scrape_configs:
				  - job_name: prometheus
				    static_configs:
				      - targets: ["127.0.0.1:%d"]
				%s""".formatted(SCRAPE_INTERVAL, SCRAPE_INTERVAL, config.stateDir().getFileName(),
				config.ports().prometheus(), jobs);
	}

	@Override
	protected List<String> command() throws IOException {
		return List.of(binary().toString(), "--config.file=" + configFile(),
				"--storage.tsdb.path=" + dir().resolve("data"), "--storage.tsdb.retention.time=7d",
				"--web.listen-address=127.0.0.1:" + config.ports().prometheus(),
				// The console templates of Debian's package; the UI works without them too.
				"--web.console.templates=/etc/prometheus/consoles",
				"--web.console.libraries=/etc/prometheus/console_libraries");
	}

	@Override
	public boolean isReady() {
		return Http.answers200("http://127.0.0.1:" + config.ports().prometheus() + "/-/ready", "Ready");
	}

}
