package dev.chat.e2e.messages;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.ReplaceOptions;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.chat.e2e.support.Keycloak;
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

	private static final int BUCKET = 64;

	private static final String ROOM = "0f4240000000000000000004";

	/** Rounds of every request before timing: enough for the JIT to compile the paths. */
	private static final int WARM_UP = 200;



	private static final int REQUESTS = 1_000;

	@Test
	void measure(Stack stack, Keycloak keycloak) throws IOException {
		ChatApi gateway = new ChatApi(stack.config().ports().gateway(), keycloak);
		ChatApi direct = new ChatApi(stack.config().ports().message(), keycloak);
		String alice = gateway.userId("alice");
		try (MongoClient mongo = MongoClients.create(stack.config().mongoUri("chat_messages"))) {
			fill(mongo.getDatabase("chat_messages"), alice);
		}

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

	/**
	 * The room, its counter and alice's membership in message-service's layout (see its
	 * {@code MessageStore}, {@code EntryCodec} and {@code Memberships}); kept if already there.
	 */
	private static void fill(MongoDatabase database, String alice) {
		MongoCollection<Document> sequences = database.getCollection("sequences");
		database.getCollection("rooms")
			.replaceOne(Filters.eq("_id", ROOM), new Document("_id", ROOM).append("ownerId", alice),
					new ReplaceOptions().upsert(true));
		database.getCollection("memberships")
			.replaceOne(Filters.eq("_id", ROOM + ":" + alice),
					new Document("_id", ROOM + ":" + alice).append("roomId", ROOM)
						.append("userId", alice)
						.append("member", true)
						.append("role", "owner"),
					new ReplaceOptions().upsert(true));
		Document counter = sequences.find(Filters.eq("_id", ROOM)).first();
		if (counter != null && ((Number) counter.get("lastSeq")).longValue() == MESSAGES) {
			System.out.printf("room %s of %,d messages already stored%n", ROOM, MESSAGES);
			return;
		}
		MongoCollection<Document> buckets = database.getCollection("buckets");
		Instant begin = Instant.now();
		long sentAt = begin.minus(Duration.ofDays(30)).toEpochMilli();
		List<Document> batch = new ArrayList<>();
		for (long number = 0; number <= MESSAGES / BUCKET; number++) {
			List<String> entries = new ArrayList<>(BUCKET);
			for (long seq = Math.max(1, number * BUCKET); seq <= Math.min(MESSAGES, number * BUCKET + BUCKET - 1); seq++) {
				entries.add("{\"seq\":%d,\"kind\":\"created\",\"senderId\":\"%s\",\"clientMsgId\":\"h-%d\",\"body\":\"message number %d of a long history, about sixty characters\",\"sentAt\":%d,\"eventId\":\"%s\"}"
					.formatted(seq, alice, seq, seq, sentAt + seq * 2_000, UUID.randomUUID()));
			}
			batch.add(new Document("_id", ROOM + ":" + number).append("entries", entries));
			if (batch.size() == 100) {
				insert(buckets, batch);
				batch.clear();
			}
		}
		insert(buckets, batch);
		sequences.replaceOne(Filters.eq("_id", ROOM), new Document("_id", ROOM).append("lastSeq", MESSAGES),
				new ReplaceOptions().upsert(true));
		System.out.printf("stored a room of %,d messages in %d s%n", MESSAGES,
				Duration.between(begin, Instant.now()).toSeconds());
	}

	/** Buckets an interrupted earlier fill stored already are kept. */
	private static void insert(MongoCollection<Document> buckets, List<Document> batch) {
		if (batch.isEmpty()) {
			return;
		}
		try {
			buckets.insertMany(batch, new InsertManyOptions().ordered(false));
		}
		catch (MongoBulkWriteException ex) {
			if (ex.getWriteErrors().stream().anyMatch(error -> error.getCode() != 11000)) {
				throw ex;
			}
		}
	}

}
