package dev.chat.stack;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One process of the stack: how to prepare, start and probe it, and how to find it again.
 *
 * <p>
 * A started process is recorded in {@code run/NAME.pid} with its pid and start time (as an
 * instant and, on Linux, as the kernel's clock ticks since boot, which a step of the wall clock
 * does not move: {@link ProcessStart}). It is stopped by that pid only, and only while the process
 * with that pid still has the recorded start time, so a pid reused by the system after a crash is
 * never signalled.
 */
public abstract class Component {

	private static final Duration STOP_GRACE = Duration.ofSeconds(20);

	protected final StackConfig config;

	private final String name;

	protected Component(StackConfig config, String name) {
		this.config = config;
		this.name = name;
	}

	public String name() {
		return name;
	}

	/** The loopback ports this component listens on; each must be free before it starts. */
	public abstract List<Integer> ports();

	/**
	 * Whether the next component must be started before this one can be ready (the brokers of a
	 * controller quorum): {@link Stack#up} then waits for both together.
	 */
	public boolean startsWithNext() {
		return false;
	}

	/** The command line of the process. */
	protected abstract List<String> command() throws IOException;

	/** Work before the first start: build, unpack, format, write configuration. Idempotent. */
	protected void prepare() throws IOException, InterruptedException {
	}

	/** Extra environment of the process. */
	protected Map<String, String> environment() {
		return Map.of();
	}

	/** Whether the component answers as it should. Called repeatedly while starting; must not block long. */
	public abstract boolean isReady();

	/** A one-line address for people, printed by {@code ./chat up}. */
	public abstract String endpoint();

	public Path logFile() {
		return config.logDir().resolve(name + ".log");
	}

	Path pidFile() {
		return config.runDir().resolve(name + ".pid");
	}

	/** Starts the process detached from the launcher (its own session), logging to {@link #logFile()}. */
	public void start() throws IOException, InterruptedException {
		Files.createDirectories(config.logDir());
		Files.createDirectories(config.runDir());
		prepare();
		List<String> command = new ArrayList<>();
		// A session of its own: Ctrl-C on `./chat up` must not take the stack down with it.
		if (new File("/usr/bin/setsid").canExecute()) {
			command.add("/usr/bin/setsid");
		}
		command.addAll(command());
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
			.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
			.directory(config.root().toFile());
		builder.environment().putAll(environment());
		Process process = builder.start();
		Files.writeString(pidFile(), process.pid() + " " + ProcessStart.of(process.toHandle()).format() + "\n");
	}

	/** The recorded process, if it is still the one this stack started. */
	public Optional<ProcessHandle> process() {
		Path file = pidFile();
		if (!Files.isRegularFile(file)) {
			return Optional.empty();
		}
		try {
			String[] fields = Files.readString(file).trim().split(" ", 2);
			long pid = Long.parseLong(fields[0]);
			ProcessStart started = ProcessStart.parse(fields[1]);
			return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(started::isStartOf);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (RuntimeException ex) {
			return Optional.empty();
		}
	}

	public boolean isRunning() {
		return process().isPresent();
	}

	/** Stops the recorded process: SIGTERM, then SIGKILL after a grace period. */
	public void stop() throws IOException {
		Optional<ProcessHandle> process = process();
		if (process.isPresent()) {
			ProcessHandle handle = process.get();
			List<ProcessHandle> children = handle.descendants().toList();
			handle.destroy();
			try {
				handle.onExit().get(STOP_GRACE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
			}
			catch (Exception timedOut) {
				handle.destroyForcibly();
				handle.onExit().join();
			}
			children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
		}
		Files.deleteIfExists(pidFile());
	}

	/** The last lines of the log, for a failure report. */
	public String logTail(int lines) {
		try {
			if (!Files.exists(logFile())) {
				return "(no log)";
			}
			List<String> all = Files.readAllLines(logFile());
			return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
		}
		catch (IOException | UncheckedIOException ex) {
			return "(log unreadable: " + ex.getMessage() + ")";
		}
	}

	protected String java() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	/**
	 * The launcher's own classpath as the build wrote it, for processes run from it (the Kafka
	 * broker). Not {@code java.class.path}: under a test runner that is a temporary jar, deleted
	 * when the runner exits, while the process may outlive it.
	 */
	protected String launcherClasspath() {
		Path module = config.root().resolve("infra/stack/target");
		try {
			return module.resolve("classes") + File.pathSeparator
					+ Files.readString(module.resolve("classpath.txt")).trim();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("the launcher is not built (" + module + "); run ./mvnw -DskipTests install",
					ex);
		}
	}

	@Override
	public String toString() {
		return name;
	}

}
