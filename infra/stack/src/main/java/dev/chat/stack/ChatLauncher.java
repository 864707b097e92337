package dev.chat.stack;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The command behind {@code ./chat}:
 * {@code up [--gateways N] [--brokers 1|3] [--replicas M] [--tls] [--monitoring]}, {@code down}
 * and {@code status} of the local stack ({@code --tls}: the public entry on HTTPS and WSS;
 * {@code --monitoring}: a Prometheus scraping every service process too, see
 * docs/operations.md). The topology {@code up} starts is recorded
 * in the state directory, so that {@code down}, {@code status} and a later {@code up} use it.
 * Exit status 0 on success, 1 when a component failed, 2 on a usage error.
 */
public final class ChatLauncher {

	public static void main(String[] args) throws Exception {
		if (args.length < 1 || (args.length > 1 && !args[0].equals("up"))) {
			usage();
			return;
		}
		StackConfig config = StackConfig.fromEnvironment(StackConfig.findRoot());
		List<String> options = new ArrayList<>(List.of(args).subList(1, args.length));
		boolean monitoring = options.remove("--monitoring");
		config = config.withTls(options.remove("--tls"));
		if (!options.isEmpty()) {
			config = withTopology(config, options.toArray(String[]::new));
		}
		Stack stack = new Stack(config, System.out, monitoring);
		switch (args[0]) {
			case "up" -> up(stack);
			case "down" -> {
				stack.down();
				System.out.println("stack stopped");
			}
			case "status" -> stack.status().forEach(System.out::println);
			default -> usage();
		}
	}

	private static void up(Stack stack) throws Exception {
		String entry = stack.config().entryUrl();
		String tls = stack.config().tls() ? " --cacert " + stack.config().root().relativize(
				new LocalCertificateAuthority(stack.config().tlsDir()).caCertificate()) : "";
		Instant begin = Instant.now();
		System.out.println("starting the chat stack (logs in " + stack.config().logDir() + ")");
		try {
			stack.up();
		}
		catch (Stack.StackException ex) {
			System.err.println();
			System.err.println("FAILED: " + ex.getMessage());
			if (!ex.logTail().isEmpty()) {
				System.err.println("--- last lines of " + ex.component().logFile() + " ---");
				System.err.println(ex.logTail());
			}
			System.err.println("nothing this run started was left running");
			System.exit(1);
		}
		System.out.printf("%nthe chat stack is up (%.1f s)%n",
				Duration.between(begin, Instant.now()).toMillis() / 1000.0);
		stack.components().forEach(c -> System.out.println("  " + c.endpoint()));
		System.out.println("""

				  public entry point (nginx): %s/api/** and %s/ws
				  demo users (password = name + "-pass"): alice, bob, carol
				  a token: curl -s%s -H 'Content-Type: application/json' \\
				           -d '{"username":"alice","password":"alice-pass"}' %s/api/auth/token""".formatted(
				entry, entry.replaceFirst("^http", "ws"), tls, entry));
	}

	/** The topology of {@code up}'s options over the recorded (or default) one. */
	static StackConfig withTopology(StackConfig config, String[] options) {
		StackConfig.Topology current = config.topology();
		int gateways = current.gateways();
		int brokers = current.brokers();
		int replicas = current.replicas();
		try {
			for (int i = 0; i < options.length; i++) {
				String option = options[i];
				if (++i >= options.length) {
					throw new IllegalArgumentException(option + " needs a number");
				}
				int value = Integer.parseInt(options[i]);
				switch (option) {
					case "--gateways" -> gateways = value;
					case "--brokers" -> brokers = value;
					case "--replicas" -> replicas = value;
					default -> throw new IllegalArgumentException("unknown option " + option);
				}
			}
			StackConfig.Topology topology = new StackConfig.Topology(gateways, brokers, replicas);
			if (topology.brokers() != current.brokers()
					&& java.nio.file.Files.isDirectory(config.dataDir().resolve("kafka"))) {
				throw new IllegalArgumentException("this stack's Kafka was formatted for " + current.brokers()
						+ " broker(s); to change that, stop the stack and remove its Kafka data: ./chat down && rm -rf "
						+ config.dataDir().resolve("kafka*"));
			}
			return config.with(topology);
		}
		catch (IllegalArgumentException ex) {
			System.err.println("chat up: " + ex.getMessage());
			usage();
			throw ex;
		}
	}

	private static void usage() {
		System.err.println(
				"usage: chat up [--gateways N] [--brokers 1|3] [--replicas M] [--tls] [--monitoring] | down | status | logs SERVICE");
		System.exit(2);
	}

	private ChatLauncher() {
	}

}
