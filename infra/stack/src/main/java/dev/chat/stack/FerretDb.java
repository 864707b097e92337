package dev.chat.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.bson.Document;

/**
 * FerretDB v1.24.2 on its SQLite backend: the MongoDB wire protocol for the local stack.
 *
 * <p>
 * The binary is built by {@code infra/ferretdb/build.sh} (from the Go module source, with the
 * fix that makes lookups by {@code _id} use the index). Telemetry is disabled and the debug
 * HTTP listener is off, so the process opens only its one loopback port.
 */
public final class FerretDb extends Component {

	private final int port;

	private final Path dataDir;

	private Path binary;

	FerretDb(StackConfig config) {
		this(config, "ferretdb", config.ports().mongo(), config.dataDir().resolve("ferretdb"));
	}

	/** A FerretDB outside a stack, for test harnesses: its own port and data directory. */
	public FerretDb(StackConfig config, String name, int port, Path dataDir) {
		super(config, name);
		this.port = port;
		this.dataDir = dataDir;
	}

	@Override
	public List<Integer> ports() {
		return List.of(port);
	}

	@Override
	public String endpoint() {
		return "ferretdb           mongodb://127.0.0.1:" + port + " (FerretDB on SQLite)";
	}

	public String uri(String database) {
		return "mongodb://127.0.0.1:" + port + "/" + database;
	}

	@Override
	protected void prepare() throws IOException, InterruptedException {
		Files.createDirectories(dataDir);
		binary = binary();
	}

	/** Builds the binary when the cache lacks it (or lacks the _id fix) and returns its path. */
	private Path binary() throws IOException, InterruptedException {
		Path script = config.root().resolve("infra/ferretdb/build.sh");
		Process build = new ProcessBuilder("bash", script.toString()).redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
		String out = new String(build.getInputStream().readAllBytes()).trim();
		if (!build.waitFor(10, TimeUnit.MINUTES) || build.exitValue() != 0) {
			throw new IOException("building FerretDB failed (" + script + ")");
		}
		return Path.of(out.lines().reduce((first, last) -> last).orElseThrow());
	}

	@Override
	protected List<String> command() throws IOException {
		return List.of(binary.toString(), "--handler=sqlite", "--sqlite-url=file:" + dataDir + "/",
				"--state-dir=" + dataDir, "--listen-addr=127.0.0.1:" + port, "--debug-addr=-", "--telemetry=disable",
				"--log-level=warn");
	}

	@Override
	public boolean isReady() {
		MongoClientSettings settings = MongoClientSettings.builder()
			.applyConnectionString(new ConnectionString(uri("admin")))
			.applyToClusterSettings(c -> c.serverSelectionTimeout(1, TimeUnit.SECONDS))
			.applyToSocketSettings(s -> s.connectTimeout(1, TimeUnit.SECONDS))
			.build();
		try (MongoClient client = MongoClients.create(settings)) {
			return client.getDatabase("admin").runCommand(new Document("ping", 1)).get("ok", Number.class)
				.intValue() == 1;
		}
		catch (RuntimeException notYet) {
			return false;
		}
	}

}
