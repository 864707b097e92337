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
 */
public record StackConfig(Path root, Path stateDir, Path cacheDir, Ports ports, int partitions,
		Duration startTimeout) {

	/**
	 * The ports of one stack.
	 */
	public record Ports(int kafka, int kafkaController, int mongo, int keycloak, int keycloakManagement, int auth,
			int room, int message, int presence, int gateway, int gateway2) {

		static final Ports DEFAULT = new Ports(9092, 9093, 27017, 8180, 9180, 8081, 8082, 8083, 8084, 8080, 8090);

		Ports shiftedBy(int offset) {
			return new Ports(kafka + offset, kafkaController + offset, mongo + offset, keycloak + offset,
					keycloakManagement + offset, auth + offset, room + offset, message + offset, presence + offset,
					gateway + offset, gateway2 + offset);
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
				startTimeout(env));
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
				partitions(env), startTimeout(env));
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

	public String kafkaBootstrap() {
		return "127.0.0.1:" + ports.kafka();
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
