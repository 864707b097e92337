package dev.chat.load.peer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Flux;

import dev.chat.load.peer.PeerServer.Kind;
import dev.chat.load.target.Connection;
import dev.chat.load.target.Deliveries;
import dev.chat.load.target.Target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Each peer for real: built or installed when missing (Centrifugo's {@code go install} takes a few
 * minutes cold, then it is cached in {@code .local/cache}), started pinned to CPU 0, 20 connections
 * subscribed to one channel, 10 bodies published from one of them, every connection receives every
 * body exactly once; then the server is stopped by pid and is gone.
 */
class PeerSmokeIntegrationTests {

	private static final int CONNECTIONS = 20;

	private static final int BODIES = 10;

	private static final String CHANNEL = "smoke-room";

	@ParameterizedTest
	@EnumSource(Kind.class)
	void twentySubscribersEachReceiveEveryPublishedBodyExactlyOnce(Kind kind) throws Exception {
		Path root = PeerServer.repositoryRoot();
		assumeRuntime(kind, root);

		PeerServer server = PeerServer.start(kind, PeerServer.Options.of(PeerServer.freePort()).pinnedTo(0));
		long pid = server.pid();
		try (Target target = server.target(1)) {
			assertThat(target.name()).isEqualTo(kind.folder());
			assertThat(Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")))
				.contains("Cpus_allowed_list:\t0");

			Map<Connection, Queue<String>> received = new ConcurrentHashMap<>();
			Deliveries deliveries = (connection, body, nanos) -> received
				.computeIfAbsent(connection, c -> new ConcurrentLinkedQueue<>())
				.add(body);
			List<Connection> connections = Flux.range(0, CONNECTIONS)
				.flatMap(client -> target.connect(client, CHANNEL, deliveries))
				.collectList()
				.block(Duration.ofSeconds(30));
			assertThat(connections).hasSize(CONNECTIONS).doesNotHaveDuplicates();

			// Quotes, backslashes and non-ASCII bodies too: each comes back exactly as published.
			List<String> bodies = IntStream.range(0, BODIES)
				.mapToObj(i -> i % 3 == 0 ? "body-" + i + " \"quoted\" \\ \u00e9\u2713" : "body-" + i)
				.toList();
			Connection publisher = connections.get(3);
			for (String body : bodies) {
				publisher.publish(CHANNEL, body).block(Duration.ofSeconds(10));
			}

			// Both servers deliver one channel's messages in order: once the last body is in,
			// everything before it is too, and any duplicate would already be there.
			await().atMost(Duration.ofSeconds(20))
				.until(() -> connections.stream()
					.allMatch(c -> received.getOrDefault(c, new ConcurrentLinkedQueue<>()).contains(bodies.getLast())));
			for (Connection connection : connections) {
				assertThat(received.get(connection)).as("what one connection received").containsExactlyElementsOf(bodies);
			}

			PeerServer.Usage usage = server.usage();
			assertThat(usage.rssBytes()).isPositive();
			assertThat(usage.cpuNanos()).isNotNegative();

			connections.forEach(Connection::close);
			for (Connection connection : connections) {
				connection.onClose().block(Duration.ofSeconds(10));
			}
		}
		finally {
			server.stop();
		}
		assertThat(server.isAlive()).isFalse();
		assertThat(ProcessHandle.of(pid)).isEmpty();
		assertThat(Path.of("/proc", Long.toString(pid))).doesNotExist();
	}

	/** Skips only when the machine cannot build or run the peer at all. */
	private static void assumeRuntime(Kind kind, Path root) {
		if (kind == Kind.CENTRIFUGO) {
			String cache = System.getenv().getOrDefault("CHAT_CACHE_DIR", root.resolve(".local/cache").toString());
			boolean built = Files.isExecutable(Path.of(cache, "centrifugo-v6.9.1", "centrifugo"));
			assumeTrue(built || onPath("go"), "neither a built Centrifugo nor Go to build it");
		}
		else {
			assumeTrue(onPath("node") && onPath("npm"), "Node.js and npm are needed for the Socket.IO peer");
		}
	}

	private static boolean onPath(String command) {
		for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
			if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
				return true;
			}
		}
		return false;
	}

}
