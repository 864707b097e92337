package dev.chat.load.peer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.chat.load.target.Target;

/**
 * A peer server (Centrifugo v6.9.1 or the Socket.IO 4 room server) run as a child process of the
 * load generator, on 127.0.0.1 at the caller's port, optionally pinned to one CPU with
 * {@code taskset -c CPU} (taskset execs the server, so {@link #pid()} is the server's own). Measured
 * only, never shipped: see {@code infra/load/peers/README.md}.
 * <p>
 * {@link #prepare} builds Centrifugo ({@code peers/centrifugo/build.sh}, {@code go install} into
 * {@code .local/cache}) or installs the Socket.IO server's packages ({@code peers/socketio/install.sh},
 * {@code npm ci}) when missing; {@link #start} runs it and waits for its {@code /health};
 * {@link #usage()} reads its resident memory and CPU time from {@code /proc} the way the scenarios
 * measure our gateway; {@link #stop()} ends it by pid (SIGTERM, then SIGKILL after 10 s).
 */
public final class PeerServer implements AutoCloseable {

	/** Which peer. */
	public enum Kind {

		CENTRIFUGO("centrifugo"), SOCKETIO("socketio");

		private final String folder;

		Kind(String folder) {
			this.folder = folder;
		}

		/** Its folder under {@code infra/load/peers/}, and its name in reports. */
		public String folder() {
			return folder;
		}

	}

	/**
	 * How to start a peer.
	 *
	 * @param root the repository root (see {@link #repositoryRoot()})
	 * @param port the port it listens on, on 127.0.0.1
	 * @param cpu the CPU to pin it to with {@code taskset -c}, or empty to leave it unpinned
	 * @param startTimeout how long to wait for its health endpoint
	 */
	public record Options(Path root, int port, OptionalInt cpu, Duration startTimeout) {

		public static Options of(int port) {
			return new Options(repositoryRoot(), port, OptionalInt.empty(), Duration.ofSeconds(30));
		}

		public Options pinnedTo(int cpu) {
			return new Options(root, port, OptionalInt.of(cpu), startTimeout);
		}

	}

	/**
	 * What the server's process uses, read from {@code /proc/PID/status} (VmRSS) and
	 * {@code /proc/PID/stat} (utime + stime).
	 */
	public record Usage(long rssBytes, long cpuNanos) {

		/** {@code this - earlier}: the CPU time spent in between, the memory as it is now. */
		public Usage since(Usage earlier) {
			return new Usage(rssBytes, cpuNanos - earlier.cpuNanos);
		}

	}

	private static final long NANOS_PER_TICK = TimeUnit.SECONDS.toNanos(1) / clockTicks();

	private final Kind kind;

	private final int port;

	private final Process process;

	private final String hmacSecret;

	private final Path log;

	private PeerServer(Kind kind, int port, Process process, String hmacSecret, Path log) {
		this.kind = kind;
		this.port = port;
		this.process = process;
		this.hmacSecret = hmacSecret;
		this.log = log;
	}

	/** Builds or installs the peer when missing; returns the Centrifugo binary or the Socket.IO folder. */
	public static Path prepare(Kind kind, Path root) {
		Path script = peers(root).resolve(kind.folder()).resolve(kind == Kind.CENTRIFUGO ? "build.sh" : "install.sh");
		Path out = root.resolve(".local/peers").resolve(kind.folder() + "-prepare.log");
		try {
			Files.createDirectories(out.getParent());
			Process run = new ProcessBuilder("bash", script.toString()).directory(root.toFile())
				.redirectError(out.toFile())
				.start();
			String printed = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
			if (!run.waitFor(30, TimeUnit.MINUTES) || run.exitValue() != 0) {
				run.destroyForcibly();
				throw new IllegalStateException(script + " failed; see " + out + ":\n" + tail(out));
			}
			String last = printed.lines().reduce((a, b) -> b).orElse("");
			return Path.of(last);
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while preparing " + kind, e);
		}
	}

	/** Prepares (see {@link #prepare}) and starts the peer, and waits until it answers on its port. */
	public static PeerServer start(Kind kind, Options options) {
		Path root = options.root();
		Path prepared = prepare(kind, root);
		List<String> command = new ArrayList<>();
		options.cpu().ifPresent(cpu -> command.addAll(List.of("taskset", "-c", Integer.toString(cpu))));
		String secret = null;
		Path dir;
		if (kind == Kind.CENTRIFUGO) {
			secret = HexFormat.of().formatHex(new SecureRandom().generateSeed(32));
			dir = peers(root).resolve("centrifugo");
			command.addAll(List.of(prepared.toString(), "--config", dir.resolve("config.json").toString(),
					"--http_server.address", "127.0.0.1", "--http_server.port", Integer.toString(options.port())));
		}
		else {
			dir = prepared;
			command.addAll(List.of("node", dir.resolve("server.js").toString()));
		}
		Path log = root.resolve(".local/peers").resolve(kind.folder() + "-" + options.port() + ".log");
		ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile());
		Map<String, String> env = builder.environment();
		env.keySet().removeIf(name -> name.startsWith("CENTRIFUGO_") || name.startsWith("NODE_OPTIONS"));
		if (kind == Kind.CENTRIFUGO) {
			env.put("CENTRIFUGO_CLIENT_TOKEN_HMAC_SECRET_KEY", secret);
			env.put("CENTRIFUGO_USAGE_STATS_DISABLED", "true");
		}
		else {
			env.put("PORT", Integer.toString(options.port()));
			env.put("NODE_ENV", "production");
		}
		try {
			Files.createDirectories(log.getParent());
			PeerServer server = new PeerServer(kind, options.port(), builder.start(), secret, log);
			try {
				server.awaitHealthy(options.startTimeout());
			}
			catch (RuntimeException e) {
				server.stop();
				throw e;
			}
			return server;
		}
		catch (IOException e) {
			throw new UncheckedIOException("could not start " + command, e);
		}
	}

	private void awaitHealthy(Duration timeout) {
		// HTTP/1.1: an h2c upgrade request would go to Engine.IO's upgrade handler, which drops it.
		HttpClient http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(1))
			.build();
		HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
			.timeout(Duration.ofSeconds(2))
			.build();
		long deadline = System.nanoTime() + timeout.toNanos();
		long pause = TimeUnit.MILLISECONDS.toNanos(20);
		while (true) {
			if (!process.isAlive()) {
				throw new IllegalStateException(kind.folder() + " exited with " + process.exitValue()
						+ " before it was up; its output (" + log + "):\n" + tail(log));
			}
			try {
				if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
					return;
				}
			}
			catch (IOException e) {
				// not listening yet
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("interrupted while waiting for " + kind.folder(), e);
			}
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException(kind.folder() + " did not answer on 127.0.0.1:" + port + "/health within "
						+ timeout + "; its output (" + log + "):\n" + tail(log));
			}
			LockSupport.parkNanos(pause);
			pause = Math.min(pause * 2, TimeUnit.MILLISECONDS.toNanos(250));
		}
	}

	/**
	 * A {@link Target} speaking this peer's protocol to it, over {@code ioThreads} event loops of
	 * its own (closing the target ends them).
	 */
	public Target target(int ioThreads) {
		return kind == Kind.CENTRIFUGO ? new CentrifugoTarget(port, hmacSecret, ioThreads)
				: new SocketIoTarget(port, ioThreads);
	}

	public Kind kind() {
		return kind;
	}

	public int port() {
		return port;
	}

	public long pid() {
		return process.pid();
	}

	public boolean isAlive() {
		return process.isAlive();
	}

	/** Where the server's stdout and stderr go. */
	public Path log() {
		return log;
	}

	/** Resident memory and CPU time of the server's process now. */
	public Usage usage() {
		return usage(pid());
	}

	/** Resident memory and CPU time (user + system, all threads) of process {@code pid}, from /proc. */
	public static Usage usage(long pid) {
		try {
			long rssKb = -1;
			for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
				if (line.startsWith("VmRSS:")) {
					rssKb = Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
				}
			}
			String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
			// Fields after "(comm)": state is field 3, utime 14 and stime 15.
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
			long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
			return new Usage(rssKb * 1024, ticks * NANOS_PER_TICK);
		}
		catch (IOException e) {
			throw new UncheckedIOException("process " + pid + " is gone, or /proc is not readable", e);
		}
	}

	/** Stops the server by its pid: SIGTERM, then SIGKILL after 10 s; returns once it is gone. */
	public void stop() {
		if (!process.isAlive()) {
			return;
		}
		process.destroy();
		try {
			if (!process.waitFor(10, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				process.waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException e) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void close() {
		stop();
	}

	/** A port free on 127.0.0.1 right now. */
	public static int freePort() {
		try (ServerSocket socket = new ServerSocket()) {
			socket.setReuseAddress(true);
			socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
			return socket.getLocalPort();
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	/**
	 * The repository root: {@code chat.root} or {@code CHAT_ROOT} when set, otherwise the nearest
	 * folder at or above the working directory that holds {@code infra/load/peers}.
	 */
	public static Path repositoryRoot() {
		String configured = System.getProperty("chat.root", System.getenv("CHAT_ROOT"));
		if (configured != null && !configured.isBlank()) {
			return Path.of(configured).toAbsolutePath().normalize();
		}
		for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
			if (Files.isDirectory(peers(dir))) {
				return dir;
			}
		}
		throw new IllegalStateException("no infra/load/peers at or above " + Path.of("").toAbsolutePath()
				+ "; set -Dchat.root or CHAT_ROOT to the repository root");
	}

	private static Path peers(Path root) {
		return root.resolve("infra/load/peers");
	}

	private static String tail(Path file) {
		try {
			List<String> lines = Files.readAllLines(file);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
		}
		catch (IOException e) {
			return "(no output: " + e.getMessage() + ")";
		}
	}

	private static long clockTicks() {
		try {
			Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
			String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
			if (getconf.waitFor(5, TimeUnit.SECONDS) && getconf.exitValue() == 0) {
				return Long.parseLong(out);
			}
		}
		catch (IOException | NumberFormatException e) {
			// the Linux default below
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
		return 100;
	}

}
