package dev.chat.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Where a stack keeps its state and which loopback ports it listens on.
 *
 * <p>
 * Two stacks can run side by side on one machine: the developer's ({@link #local}, under
 * {@code .local/}) and the one the end-to-end tests start ({@link #forTests}, under
 * {@code .local/test-stack/}, every port shifted by 10,000), so running the tests never disturbs
 * a stack started with {@code ./chat up}.
 *
 * @param root the repository root (holds {@code mvnw})
 * @param stateDir logs, pid files and data of this stack
 * @param cacheDir built or unpacked components (FerretDB binary, Keycloak), shared by stacks
 * @param ports the ports of every component
 * @param partitions partitions of each topic created at start
 * @param startTimeout how long {@code up} waits for one component to become ready
 * @param topology how many gateway nodes, brokers and service instances run
 * @param tls whether the public entry serves HTTPS and WSS ({@code ./chat up --tls}), with the
 * certificate of {@link #tlsDir()}
 */
public record StackConfig(Path root, Path stateDir, Path cacheDir, Ports ports, int partitions,
		Duration startTimeout, Topology topology, boolean tls) {

	/** A stack whose public entry speaks plain HTTP. */
	public StackConfig(Path root, Path stateDir, Path cacheDir, Ports ports, int partitions, Duration startTimeout,
			Topology topology) {
		this(root, stateDir, cacheDir, ports, partitions, startTimeout, topology, false);
	}

	/**
	 * How many of each process a stack runs.
	 *
	 * @param gateways gateway nodes behind nginx (1 to 8)
	 * @param brokers Kafka brokers (1, or 3: replication factor 3 and {@code min.insync.replicas=2})
	 * @param replicas instances of message-service and of presence-service (1 to 4): each writes
	 * only for the partitions Kafka assigned it, fenced, so they are exact on the local store too.
	 * room-service and auth-service run one instance on the local store: their shared documents are
	 * updated under locks held in one JVM (FerretDB applies an update operator as an unisolated
	 * read-modify-write)
	 */
	public record Topology(int gateways, int brokers, int replicas) {

		public static final Topology DEFAULT = new Topology(2, 1, 1);

		public Topology {
			if (gateways < 1 || gateways > 8) {
				throw new IllegalArgumentException("gateways must be 1 to 8, was " + gateways);
			}
			if (brokers != 1 && brokers != 3) {
				throw new IllegalArgumentException("brokers must be 1 or 3, was " + brokers);
			}
			if (replicas < 1 || replicas > 4) {
				throw new IllegalArgumentException("replicas must be 1 to 4, was " + replicas);
			}
		}

		/** Kafka's replication factor of every topic. */
		public short replicationFactor() {
			return (short) brokers;
		}

		/** Replicas that must acknowledge a write ({@code acks=all}) for it to succeed. */
		public int minInSyncReplicas() {
			return brokers >= 3 ? 2 : 1;
		}

		static Topology fromEnvironment(Map<String, String> env, Topology defaults) {
			return new Topology(Integer.parseInt(env.getOrDefault("CHAT_GATEWAYS", String.valueOf(defaults.gateways))),
					Integer.parseInt(env.getOrDefault("CHAT_BROKERS", String.valueOf(defaults.brokers))),
					Integer.parseInt(env.getOrDefault("CHAT_REPLICAS", String.valueOf(defaults.replicas))));
		}

	}

	/**
	 * The ports of one stack ({@code prometheus}: the server {@code ./chat up --monitoring} starts).
	 */
	public record Ports(int kafka, int kafkaController, int mongo, int keycloak, int keycloakManagement, int auth,
			int room, int message, int presence, int gateway, int gateway2, int entry, int prometheus) {

		static final Ports DEFAULT = new Ports(9092, 9093, 27017, 8180, 9180, 8081, 8082, 8083, 8084, 8080, 8090,
				8000, 9090);

		Ports shiftedBy(int offset) {
			return new Ports(kafka + offset, kafkaController + offset, mongo + offset, keycloak + offset,
					keycloakManagement + offset, auth + offset, room + offset, message + offset, presence + offset,
					gateway + offset, gateway2 + offset, entry + offset, prometheus + offset);
		}

		/** The direct port of gateway node {@code n} (from 1): 8080, 8090, then 8100 and up. */
		public int gatewayNode(int n) {
			return n == 1 ? gateway : gateway2 + 10 * (n - 2);
		}

		/** The client port of Kafka broker {@code n} (from 1): 9092, 9094, 9096. */
		public int kafkaBroker(int n) {
			return kafka + 2 * (n - 1);
		}

		/** The controller port of Kafka broker {@code n} (from 1): 9093, 9095, 9097. */
		public int kafkaBrokerController(int n) {
			return kafkaController + 2 * (n - 1);
		}

		/** The port of instance {@code n} (from 1) of message-service: 8083, 8183, 8283. */
		public int messageInstance(int n) {
			return message + 100 * (n - 1);
		}

		/** nginx's loopback-only port in front of every message-service instance, for the gateways. */
		public int messageBalancer() {
			return entry + 3;
		}

		/** The port of instance {@code n} (from 1) of presence-service: 8084, 8184, 8284. */
		public int presenceInstance(int n) {
			return presence + 100 * (n - 1);
		}

		/** nginx's loopback-only port in front of every presence-service instance, for the gateways. */
		public int presenceBalancer() {
			return entry + 4;
		}

	}

	public StackConfig {
		Objects.requireNonNull(root, "root");
		if (!Files.isRegularFile(root.resolve("mvnw"))) {
			throw new IllegalArgumentException("not the repository root (no mvnw): " + root);
		}
		if (partitions < 1) {
			throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
		}
	}

	/**
	 * The stack {@code ./chat} drives: the developer's ({@link #local}) unless
	 * {@code CHAT_STACK=test} selects the end-to-end tests' stack ({@link #forTests}).
	 */
	public static StackConfig fromEnvironment(Path root) {
		return "test".equals(System.getenv("CHAT_STACK")) ? forTests(root) : local(root);
	}

	/**
	 * The developer's stack behind {@code ./chat up}, on the ports in the README.
	 * {@code CHAT_STATE_DIR} and {@code CHAT_PORT_OFFSET} move it, to run another stack beside it.
	 */
	public static StackConfig local(Path root) {
		return local(root, System.getenv());
	}

	static StackConfig local(Path root, Map<String, String> env) {
		Path state = env.containsKey("CHAT_STATE_DIR") ? root.resolve(env.get("CHAT_STATE_DIR")) : root.resolve(".local");
		int offset = Integer.parseInt(env.getOrDefault("CHAT_PORT_OFFSET", "0"));
		return new StackConfig(root, state, cacheDir(root, env), Ports.DEFAULT.shiftedBy(offset), partitions(env),
				startTimeout(env), Topology.fromEnvironment(env, savedTopology(state)));
	}

	/**
	 * The stack the end-to-end tests start, isolated from the developer's: state under
	 * {@code .local/test-stack}, ports +10,000 ({@code CHAT_TEST_STACK_DIR} and
	 * {@code CHAT_TEST_STACK_OFFSET} move it, to run two test runs side by side).
	 */
	public static StackConfig forTests(Path root) {
		Map<String, String> env = System.getenv();
		return new StackConfig(root, root.resolve(env.getOrDefault("CHAT_TEST_STACK_DIR", ".local/test-stack")),
				cacheDir(root, env), Ports.DEFAULT.shiftedBy(Integer.parseInt(env.getOrDefault("CHAT_TEST_STACK_OFFSET",
						"10000"))),
				partitions(env), startTimeout(env), Topology.DEFAULT);
	}

	/**
	 * The multi-node stack of the cluster tests, beside the others: three brokers, two gateway
	 * nodes behind nginx, two message-service instances; state under {@code .local/test-cluster},
	 * ports +5,000 (every one under Linux's ephemeral range, which starts at 32768: a process the
	 * tests restart must find its port free, not held by some outgoing connection).
	 */
	public static StackConfig forClusterTests(Path root) {
		Map<String, String> env = System.getenv();
		return new StackConfig(root, root.resolve(".local/test-cluster"), cacheDir(root, env),
				Ports.DEFAULT.shiftedBy(5000), partitions(env), startTimeout(env), new Topology(2, 3, 2));
	}

	/** The same stack with another topology. */
	public StackConfig with(Topology topology) {
		return new StackConfig(root, stateDir, cacheDir, ports, partitions, startTimeout, topology, tls);
	}

	/** The same stack with its public entry on TLS, or not. */
	public StackConfig withTls(boolean tls) {
		return new StackConfig(root, stateDir, cacheDir, ports, partitions, startTimeout, topology, tls);
	}

	/** The stack's own certificate authority and server certificate, made once and kept. */
	public Path tlsDir() {
		return stateDir.resolve("tls");
	}

	/** The public entry's base URL: {@code http://localhost:8000}, or {@code https://} with TLS. */
	public String entryUrl() {
		return (tls ? "https" : "http") + "://localhost:" + ports.entry();
	}

	/** Where {@code ./chat up} records the topology it started, for {@code down} and {@code status}. */
	Path topologyFile() {
		return stateDir.resolve("topology");
	}

	private static Topology savedTopology(Path state) {
		Path file = state.resolve("topology");
		if (!Files.isRegularFile(file)) {
			return Topology.DEFAULT;
		}
		try {
			String[] fields = Files.readString(file).trim().split(" ");
			return new Topology(Integer.parseInt(fields[0]), Integer.parseInt(fields[1]), Integer.parseInt(fields[2]));
		}
		catch (java.io.IOException | RuntimeException unreadable) {
			return Topology.DEFAULT;
		}
	}

	/** Records the topology, so that a later {@code down} stops every process it started. */
	void saveTopology() throws java.io.IOException {
		Files.createDirectories(stateDir);
		Files.writeString(topologyFile(),
				topology.gateways() + " " + topology.brokers() + " " + topology.replicas() + "\n");
	}

	/** Finds the repository root from the working directory upwards. */
	public static Path findRoot() {
		Path dir = Path.of("").toAbsolutePath();
		while (dir != null && !Files.isRegularFile(dir.resolve("mvnw"))) {
			dir = dir.getParent();
		}
		if (dir == null) {
			throw new IllegalStateException("cannot find the repository root (a directory with mvnw) above "
					+ Path.of("").toAbsolutePath());
		}
		return dir;
	}

	public Path logDir() {
		return stateDir.resolve("logs");
	}

	public Path runDir() {
		return stateDir.resolve("run");
	}

	public Path dataDir() {
		return stateDir.resolve("data");
	}

	/** Every broker's address: a client that finds one broker down asks the next. */
	public String kafkaBootstrap() {
		StringBuilder bootstrap = new StringBuilder();
		for (int n = 1; n <= topology.brokers(); n++) {
			bootstrap.append(n == 1 ? "" : ",").append("127.0.0.1:").append(ports.kafkaBroker(n));
		}
		return bootstrap.toString();
	}

	public String mongoUri(String database) {
		return "mongodb://127.0.0.1:" + ports.mongo() + "/" + database;
	}

	/** The issuer as it appears in tokens: Keycloak is pinned to this hostname. */
	public String issuerUri() {
		return "http://localhost:" + ports.keycloak() + "/realms/chat";
	}

	private static Path cacheDir(Path root, Map<String, String> env) {
		String dir = env.get("CHAT_CACHE_DIR");
		return dir != null ? Path.of(dir) : root.resolve(".local/cache");
	}

	private static int partitions(Map<String, String> env) {
		return Integer.parseInt(env.getOrDefault("CHAT_PARTITIONS", "6"));
	}

	private static Duration startTimeout(Map<String, String> env) {
		return Duration.ofSeconds(Long.parseLong(env.getOrDefault("CHAT_START_TIMEOUT_SECONDS", "300")));
	}

}
