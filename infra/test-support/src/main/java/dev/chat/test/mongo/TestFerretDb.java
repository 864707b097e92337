package dev.chat.test.mongo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import dev.chat.stack.FerretDb;
import dev.chat.stack.StackConfig;

/**
 * The FerretDB process of one test JVM: the stack's own build (with the {@code _id} index fix),
 * on a free loopback port, its pid file, log and data under
 * {@code target/chat-test/ferretdb-<jvm pid>/} of the module under test.
 *
 * <p>
 * It runs in a session of its own (as every stack component does), so a test JVM killed hard
 * leaves it running; the next test JVM of the module finds that directory, sees its owner is
 * gone, and stops the orphan by its recorded pid and start time before starting its own.
 */
final class TestFerretDb {

	private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

	private static final int ATTEMPTS = 3;

	private static final String OWNER = "owner";

	private final FerretDb ferretDb;

	private TestFerretDb(FerretDb ferretDb) {
		this.ferretDb = ferretDb;
	}

	/** The base URI, without a database. */
	String uri() {
		return ferretDb.uri("");
	}

	static TestFerretDb start() {
		Path root = StackConfig.findRoot();
		StackConfig local = StackConfig.local(root);
		Path base = Path.of("target", "chat-test").toAbsolutePath();
		stopOrphans(root, local, base);
		ProcessHandle self = ProcessHandle.current();
		Path state = base.resolve("ferretdb-" + self.pid());
		StackConfig config = configFor(root, local, state);
		try {
			Files.createDirectories(state);
			Files.writeString(state.resolve(OWNER), self.pid() + " " + startMillis(self));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		IllegalStateException failure = new IllegalStateException(
				"FerretDB did not start (log: " + config.logDir().resolve("ferretdb.log") + ")");
		// Another process may take the free port between our probe and FerretDB's bind: retry.
		for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
			FerretDb ferretDb = new FerretDb(config, "ferretdb", freePort(), state.resolve("data"));
			try {
				ferretDb.start();
				Awaitility.await("FerretDB ready")
					.atMost(READY_TIMEOUT)
					.pollInterval(Duration.ofMillis(100))
					.until(() -> ferretDb.isReady() || !ferretDb.isRunning());
				if (ferretDb.isReady()) {
					Runtime.getRuntime()
						.addShutdownHook(new Thread(() -> stopAndDelete(ferretDb, state), "ferretdb-stop"));
					return new TestFerretDb(ferretDb);
				}
				failure.addSuppressed(new IllegalStateException(ferretDb.logTail(20)));
			}
			catch (IOException | ConditionTimeoutException ex) {
				failure.addSuppressed(ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				failure.addSuppressed(ex);
				break;
			}
			stopQuietly(ferretDb);
		}
		throw failure;
	}

	/** Stops the FerretDB of each earlier test JVM of this module that died without stopping it. */
	private static void stopOrphans(Path root, StackConfig local, Path base) {
		if (!Files.isDirectory(base)) {
			return;
		}
		try (Stream<Path> dirs = Files.list(base)) {
			for (Path dir : dirs.filter(d -> d.getFileName().toString().startsWith("ferretdb-")).toList()) {
				if (!ownerAlive(dir)) {
					stopAndDelete(new FerretDb(configFor(root, local, dir), "ferretdb", 0, dir.resolve("data")), dir);
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static boolean ownerAlive(Path dir) {
		try {
			String[] owner = Files.readString(dir.resolve(OWNER)).trim().split(" ");
			long started = Long.parseLong(owner[1]);
			return ProcessHandle.of(Long.parseLong(owner[0]))
				.filter(ProcessHandle::isAlive)
				.filter(p -> startMillis(p) == started)
				.isPresent();
		}
		catch (IOException | RuntimeException unreadable) {
			// Being written right now by a JVM starting at this moment: leave it alone.
			return Files.exists(dir.resolve(OWNER));
		}
	}

	private static StackConfig configFor(Path root, StackConfig local, Path state) {
		return new StackConfig(root, state, local.cacheDir(), local.ports(), 1, local.startTimeout(),
				StackConfig.Topology.DEFAULT);
	}

	private static void stopAndDelete(FerretDb ferretDb, Path state) {
		stopQuietly(ferretDb);
		try (Stream<Path> files = Files.walk(state)) {
			for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(file);
			}
		}
		catch (IOException | UncheckedIOException ex) {
			// Left for `mvn clean`: a leftover directory under target/ harms nothing.
		}
	}

	private static void stopQuietly(FerretDb ferretDb) {
		try {
			ferretDb.stop();
		}
		catch (IOException | RuntimeException ex) {
			System.err.println("could not stop " + ferretDb + ": " + ex);
		}
	}

	private static long startMillis(ProcessHandle process) {
		return process.info().startInstant().map(Instant::toEpochMilli).orElse(-1L);
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public String toString() {
		return "FerretDB at " + uri() + " (log: " + ferretDb.logFile() + ")";
	}

}
