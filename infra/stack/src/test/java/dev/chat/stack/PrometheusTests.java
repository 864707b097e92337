package dev.chat.stack;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The Prometheus configuration {@code ./chat up --monitoring} writes: every service process of
 * the topology scraped on loopback at {@code /actuator/prometheus}, nothing sent anywhere; and
 * Prometheus's own checker accepts it ({@code promtool check config}; CI installs the package).
 */
class PrometheusTests {

	private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

	@TempDir
	Path state;

	private StackConfig config(StackConfig.Topology topology) {
		StackConfig tests = StackConfig.forTests(StackConfig.findRoot());
		return new StackConfig(tests.root(), state, tests.cacheDir(), tests.ports(), 6, Duration.ofSeconds(30), topology);
	}

	private static Prometheus prometheusOf(Stack stack) {
		return (Prometheus) stack.component("prometheus");
	}

	@Test
	void everyServiceProcessOfTheStackIsScrapedOnItsOwnPort() {
		StackConfig config = config(new StackConfig.Topology(3, 3, 2));
		Stack stack = new Stack(config, QUIET, true);
		String conf = prometheusOf(stack).configuration();

		List<SpringService> processes = stack.components()
			.stream()
			.filter(SpringService.class::isInstance)
			.map(SpringService.class::cast)
			.toList();
		assertThat(processes).extracting(Component::name)
			.containsExactlyInAnyOrder("auth-service", "room-service", "message-service", "message-service-2",
					"presence-service", "presence-service-2", "gateway", "gateway-2", "gateway-3");
		for (SpringService process : processes) {
			assertThat(conf).as(process.name())
				.contains("- targets: [\"127.0.0.1:" + process.port() + "\"]\n        labels:\n          process: "
						+ process.name() + "\n");
		}
		StackConfig.Ports ports = config.ports();
		assertThat(conf).contains("- job_name: gateway-service", "- job_name: message-service",
				"- job_name: auth-service", "- job_name: room-service", "- job_name: presence-service")
			.contains("metrics_path: /actuator/prometheus")
			.contains("127.0.0.1:" + ports.gatewayNode(3), "127.0.0.1:" + ports.messageInstance(2))
			.doesNotContain("127.0.0.1:" + ports.gatewayNode(4))
			.doesNotContainIgnoringCase("remote_write")
			.doesNotContain("alerting");
	}

	@Test
	void itListensOnLoopbackOnlyWithItsDataUnderTheStack() throws Exception {
		StackConfig config = config(StackConfig.Topology.DEFAULT);
		Prometheus prometheus = prometheusOf(new Stack(config, QUIET, true));
		assumeThat(Files.isExecutable(Path.of("/usr/bin/prometheus"))).as("Debian's prometheus package").isTrue();

		assertThat(prometheus.command()).contains("--web.listen-address=127.0.0.1:" + config.ports().prometheus(),
				"--storage.tsdb.path=" + config.dataDir().resolve("prometheus/data"))
			.noneMatch(argument -> argument.startsWith("--web.enable"));
		assertThat(prometheus.ports()).containsExactly(config.ports().prometheus());
	}

	@Test
	void withoutMonitoringThereIsNoPrometheus() {
		Stack stack = new Stack(config(StackConfig.Topology.DEFAULT), QUIET);

		assertThat(stack.components()).extracting(Component::name).doesNotContain("prometheus");
	}

	@Test
	void promtoolAcceptsTheConfiguration() throws Exception {
		Path promtool = Path.of("/usr/bin/promtool");
		assumeThat(Files.isExecutable(promtool)).as("Debian's prometheus package").isTrue();
		StackConfig config = config(new StackConfig.Topology(2, 1, 2));
		Prometheus prometheus = prometheusOf(new Stack(config, QUIET, true));
		prometheus.prepare();

		Process check = new ProcessBuilder(promtool.toString(), "check", "config", prometheus.configFile().toString())
			.redirectErrorStream(true)
			.start();
		assertThat(check.waitFor(20, TimeUnit.SECONDS)).isTrue();
		String output = new String(check.getInputStream().readAllBytes());
		assertThat(check.exitValue()).as(output).isZero();
		assertThat(output).contains("SUCCESS");
	}

}
