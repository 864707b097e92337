package dev.chat.e2e.messages;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.chat.e2e.support.Keycloak;
import dev.chat.load.scenario.HistoryRoom;
import dev.chat.e2e.support.TestStackExtension;
import dev.chat.stack.Stack;

/**
 * History latency in a room of 1,000,000 messages, on the local test stack with alice's real
 * token: the first page, pages deep in the past, a forward page and a replay page, each read
 * 1,000 times one after the other, through the gateway and straight from message-service. The
 * room is written straight into {@code chat_messages} in message-service's own layout (15,626
 * buckets of 64 entries as its {@code EntryCodec} writes them, the counter, alice's membership),
 * once: a later run finds it and only measures. Prints p50/p99 and the CPU time per request, and
 * writes them to {@code target/measurements/history-latency.txt}; asserts nothing.
 *
 * <pre>
 * CHAT_TEST_STACK_DIR=.local/test-stack-msg CHAT_TEST_STACK_OFFSET=5000 ./mvnw -B -o verify -pl infra/e2e \
 *     -Dtest=HistoryLatencyMeasurement -Dchat.measure=messages -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
@ExtendWith(TestStackExtension.class)
@EnabledIfSystemProperty(named = "chat.measure", matches = "messages|history")
class HistoryLatencyMeasurement {

	private static final long MESSAGES = 1_000_000;

	private static final String ROOM = "0f4240000000000000000004";

	/** Rounds of every request before timing: enough for the JIT to compile the paths. */
	private static final int WARM_UP = 200;

	private static final int REQUESTS = 1_000;

	@Test
	void measure(Stack stack, Keycloak keycloak) throws IOException {
		ChatApi gateway = new ChatApi(stack.config().ports().gateway(), keycloak);
		ChatApi direct = new ChatApi(stack.config().ports().message(), keycloak);
		String alice = gateway.userId("alice");
		Instant begin = Instant.now();
		boolean written = HistoryRoom.ensure(stack.config().mongoUri("chat_messages"), ROOM, MESSAGES, alice);
		System.out.printf(written ? "stored a room of %,d messages in %d s%n" : "room of %,d messages already stored%n",
				MESSAGES, Duration.between(begin, Instant.now()).toSeconds());

		String messages = "/api/rooms/" + ROOM + "/messages";
		List<String[]> cases = List.of(new String[] { "first page (50 newest)", messages },
				new String[] { "deep page (beforeSeq=5000)", messages + "?beforeSeq=5000" },
				new String[] { "middle page (beforeSeq=500000)", messages + "?beforeSeq=500000" },
				new String[] { "largest page (limit=200)", messages + "?limit=200&beforeSeq=750000" },
				new String[] { "forward page (afterSeq=1000)", messages + "?afterSeq=1000" },
				new String[] { "replay (events afterSeq=999500, 500)",
						"/api/rooms/" + ROOM + "/events?afterSeq=999500&limit=500" });
		StringBuilder table = new StringBuilder(
				String.format("history of a room of %,d messages, %,d sequential requests per line%n", MESSAGES,
						REQUESTS));
		// Every request once compiled by the JIT, in every process, before anything is timed.
		for (int i = 0; i < WARM_UP; i++) {
			for (String[] measured : cases) {
				for (ChatApi api : through(measured[1], direct, gateway)) {
					api.fetch("alice", measured[1]);
				}
			}
		}
		for (String[] measured : cases) {
			List<ChatApi> through = through(measured[1], direct, gateway);
			for (ChatApi api : through) {
				MachineLoad load = MachineLoad.of(stack, "message-service", "ferretdb", "gateway");
				Latencies latencies = time(api, measured[1]);
				String line = String.format("%-38s %-16s %s%n%56s%s%n", measured[0],
						api == direct ? "message-service" : "via gateway", latencies, "", load.cpuPer(REQUESTS));
				System.out.print(line);
				table.append(line);
			}
		}
		Path file = Path.of("target", "measurements", "history-latency.txt");
		Files.createDirectories(file.getParent());
		Files.writeString(file, table);
	}

	/** The gateway routes /messages only; gateways read the replay from message-service directly. */
	private static List<ChatApi> through(String path, ChatApi direct, ChatApi gateway) {
		return path.contains("/events") ? List.of(direct) : List.of(direct, gateway);
	}

	private static Latencies time(ChatApi api, String path) {
		List<Long> nanos = new ArrayList<>(REQUESTS);
		int failed = 0;
		for (int i = 0; i < REQUESTS; i++) {
			api.token("alice");
			long begin = System.nanoTime();
			int status = api.fetch("alice", path);
			if (status == -1) {
				// The connection broke (a busy machine drops idle ones): counted, not timed.
				failed++;
				continue;
			}
			nanos.add(System.nanoTime() - begin);
			if (status != 200) {
				throw new IllegalStateException(path + " answered " + status);
			}
		}
		if (failed > REQUESTS / 100) {
			throw new IllegalStateException(path + ": " + failed + " requests without an answer");
		}
		return Latencies.of(nanos);
	}

}
