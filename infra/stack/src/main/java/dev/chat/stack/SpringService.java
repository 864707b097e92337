package dev.chat.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * One of the platform's Spring Boot services, run from the jar its module builds. Ready when
 * its readiness group (which includes Kafka and Mongo) reports UP.
 */
final class SpringService extends Component {

	private final String module;

	private final int port;

	private final List<String> arguments;

	private final String maxHeap;

	/**
	 * @param name the process name ({@code gateway-2} for a second gateway node)
	 * @param module the Maven module whose jar runs
	 * @param port the HTTP port
	 * @param arguments Spring properties on top of the stack-wide ones, as {@code --key=value}
	 * @param maxHeap the JVM's {@code -Xmx}
	 */
	SpringService(StackConfig config, String name, String module, int port, List<String> arguments, String maxHeap) {
		super(config, name);
		this.module = module;
		this.port = port;
		this.arguments = List.copyOf(arguments);
		this.maxHeap = maxHeap;
	}

	@Override
	public List<Integer> ports() {
		return List.of(port);
	}

	/** The Maven module whose jar runs: the service this process is an instance of. */
	String module() {
		return module;
	}

	/** The HTTP port: the API, the health probes and {@code /actuator/prometheus}. */
	int port() {
		return port;
	}

	@Override
	public String endpoint() {
		return String.format("%-18s http://localhost:%d", name(), port);
	}

	/** The jar the build wrote. */
	Path builtJar() {
		return config.root().resolve(module).resolve("target").resolve(module + ".jar");
	}

	/**
	 * The copy this process runs from: a rebuild rewrites the built jar, and a JVM whose jar
	 * changes under it fails to load classes it has not loaded yet.
	 */
	private Path runningJar() {
		return config.stateDir().resolve("jars").resolve(name() + ".jar");
	}

	@Override
	protected void prepare() throws IOException {
		if (!Files.isRegularFile(builtJar())) {
			throw new IOException("missing " + builtJar() + "; build first (./mvnw -DskipTests install)");
		}
		Files.createDirectories(runningJar().getParent());
		Files.copy(builtJar(), runningJar(), StandardCopyOption.REPLACE_EXISTING);
	}

	@Override
	protected List<String> command() {
		List<String> command = new ArrayList<>(List.of(java(), "-Xms64m", "-Xmx" + maxHeap, "-XX:+UseSerialGC",
				"-XX:+ExitOnOutOfMemoryError", "-jar", runningJar().toString()));
		command.add("--server.port=" + port);
		command.add("--spring.kafka.bootstrap-servers=" + config.kafkaBootstrap());
		command.add("--chat.security.issuer-uri=" + config.issuerUri());
		command.addAll(arguments);
		return command;
	}

	@Override
	public boolean isReady() {
		return Http.answers200("http://127.0.0.1:" + port + "/actuator/health/readiness", "\"UP\"");
	}

}
