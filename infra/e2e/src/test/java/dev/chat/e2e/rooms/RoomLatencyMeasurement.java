package dev.chat.e2e.rooms;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.chat.e2e.support.Keycloak;
import dev.chat.e2e.support.TestStackExtension;
import dev.chat.stack.Stack;
import dev.chat.stack.StackConfig;

/**
 * Latency of the room API on the local test stack, through the gateway with real tokens, printed
 * as median and p99 (no assertions: the numbers depend on the machine). Not a test of the
 * regular suite: it writes 10,000 rooms into the stack, so it runs only when asked for:
 *
 * <pre>
 * CHAT_TEST_STACK_DIR=.local/test-stack-rooms CHAT_TEST_STACK_OFFSET=25000 ./mvnw -B -o verify -pl infra/e2e \
 *     -Dtest=RoomLatencyMeasurement -Dchat.measure=rooms -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * Phase 1: 100 rooms are created one after the other, then 1,000 joins (10 users into each),
 * then the first page of the listing is read 100 times. Phase 2: rooms are added (4 requests at a
 * time) until the store holds 10,000, then the listing and searches are each read 100 times, and
 * the whole listing is walked page by page. Run it on a stack whose store starts (nearly) empty:
 * {@code rm -rf .local/test-stack-rooms/data/ferretdb} with the stack down.
 * Requests run one at a time when measured, so each number is one request's latency.
 */
@ExtendWith(TestStackExtension.class)
@EnabledIfSystemProperty(named = "chat.measure", matches = "rooms")
class RoomLatencyMeasurement {

	private static final int USERS = 11;

	private static final int TARGET_ROOMS = 10_000;

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	@Test
	void measure(Stack stack, Keycloak keycloak) throws Exception {
		RoomsClient rooms = new RoomsClient(stack.config().ports().gateway());
		Users users = new Users(stack.config(), keycloak);
		String run = UUID.randomUUID().toString().substring(0, 6);
		System.out.printf("%nroom latency measurement, run %s, through the gateway on port %d%n", run,
				stack.config().ports().gateway());

		// Phase 1: 100 rooms, 1,000 memberships.
		List<Long> create = new ArrayList<>();
		List<String> roomIds = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			int owner = i % USERS;
			long begin = System.nanoTime();
			RoomsClient.Answer created = rooms.create(users.token(owner), "measure " + run + " " + i, "public");
			create.add(System.nanoTime() - begin);
			check(created, 201);
			roomIds.add(created.id());
		}
		List<Long> join = new ArrayList<>();
		for (int i = 0; i < roomIds.size(); i++) {
			int owner = i % USERS;
			for (int user = 0; user < USERS; user++) {
				if (user == owner) {
					continue;
				}
				String token = users.token(user);
				String roomId = roomIds.get(i);
				long begin = System.nanoTime();
				RoomsClient.Answer joined = rooms.join(token, roomId);
				join.add(System.nanoTime() - begin);
				check(joined, 200);
			}
		}
		List<Long> list = timesOf(100, i -> rooms.list(users.token(i % USERS), null, null, 20, null));
		long roomsNow = countRooms(stack.config());
		System.out.printf("phase 1: %d rooms in the store; %d rooms created and %d joins by this run%n", roomsNow,
				roomIds.size(), join.size());
		report("create (100 rooms)", create);
		report("join (1,000 joins)", join);
		report("list, first page of 20", list);

		// Phase 2: 10,000 rooms.
		List<Long> seeding = Collections.synchronizedList(new ArrayList<>());
		long toCreate = TARGET_ROOMS - roomsNow;
		Instant seedStart = Instant.now();
		try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
			List<Future<?>> work = new ArrayList<>();
			for (long i = 0; i < toCreate; i++) {
				long n = i;
				work.add(pool.submit(() -> {
					int owner = (int) (n % USERS);
					long begin = System.nanoTime();
					RoomsClient.Answer created = rooms.create(users.token(owner), "seed " + run + " " + n, "public");
					seeding.add(System.nanoTime() - begin);
					check(created, 201);
				}));
			}
			for (Future<?> done : work) {
				done.get();
			}
		}
		Duration seedTime = Duration.between(seedStart, Instant.now());
		long roomsThen = countRooms(stack.config());
		System.out.printf("phase 2: %d rooms in the store; %d created by 4 clients in %d s (%.0f per second)%n",
				roomsThen, toCreate, seedTime.toSeconds(), toCreate * 1000.0 / Math.max(1, seedTime.toMillis()));
		if (!seeding.isEmpty()) {
			report("create while 4 clients create", seeding);
		}
		report("list, first page of 20", timesOf(100, i -> rooms.list(users.token(i % USERS), null, null, 20, null)));
		String cursor = rooms.list(users.token(0), null, null, 100, null).body().get("nextCursor").asString();
		report("list, a later page of 20", timesOf(100, i -> rooms.list(users.token(i % USERS), null, null, 20, cursor)));
		// Every page of the whole listing, first to last: a page costs more the further it lies.
		List<Long> walk = new ArrayList<>();
		String next = null;
		do {
			long begin = System.nanoTime();
			RoomsClient.Answer page = rooms.list(users.token(walk.size() % USERS), null, null, 100, next);
			walk.add(System.nanoTime() - begin);
			check(page, 200);
			next = page.body().get("nextCursor").isNull() ? null : page.body().get("nextCursor").asString();
		}
		while (next != null);
		report("list, every page of 100, first to last", walk);
		report("list mine=true (100+ rooms each)",
				timesOf(100, i -> rooms.list(users.token(i % USERS), null, true, 20, null)));
		report("search q=\"seed " + run + " 12\" (about 111 hits)",
				timesOf(100, i -> rooms.list(users.token(i % USERS), "seed " + run + " 12", null, 20, null)));
		report("search q=<no match>",
				timesOf(100, i -> rooms.list(users.token(i % USERS), "nothing-" + run, null, 20, null)));
		System.out.println();
	}

	private static List<Long> timesOf(int count, java.util.function.IntFunction<RoomsClient.Answer> request) {
		List<Long> times = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			long begin = System.nanoTime();
			RoomsClient.Answer answer = request.apply(i);
			times.add(System.nanoTime() - begin);
			check(answer, 200);
		}
		return times;
	}

	private static void check(RoomsClient.Answer answer, int status) {
		if (answer.status() != status) {
			throw new IllegalStateException("expected " + status + " but got " + answer.status() + " " + answer.body());
		}
	}

	private static void report(String what, List<Long> nanos) {
		long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
		double median = sorted[sorted.length / 2] / 1e6;
		double p99 = sorted[(int) Math.ceil(sorted.length * 0.99) - 1] / 1e6;
		System.out.printf("  %-48s n=%5d  median %8.1f ms  p99 %8.1f ms  max %8.1f ms%n", what, sorted.length, median,
				p99, Arrays.stream(sorted).max().orElse(0) / 1e6);
	}

	private static long countRooms(StackConfig config) {
		try (MongoClient client = MongoClients.create(config.mongoUri("chat_rooms"))) {
			return client.getDatabase("chat_rooms").getCollection("rooms").countDocuments(new Document());
		}
	}

	/**
	 * Users for the measurement besides the demo ones (which are too few for 1,000 memberships):
	 * created in the stack's Keycloak through its admin API if missing, with tokens renewed before
	 * they expire.
	 */
	private static final class Users {

		private final List<Supplier<String>> tokens = new ArrayList<>();

		Users(StackConfig config, Keycloak keycloak) {
			String admin = adminToken(config);
			for (int i = 0; i < USERS; i++) {
				String username = "rooms-measure-" + i;
				createUser(config, admin, username);
				tokens.add(new Renewing(() -> keycloak.tokens(username, username + "-pass").get("access_token")
					.asString()));
			}
		}

		String token(int user) {
			return tokens.get(user).get();
		}

		private static String adminToken(StackConfig config) {
			String form = "grant_type=password&client_id=admin-cli&username=admin&password=admin";
			HttpResponse<String> response = send(HttpRequest
				.newBuilder(URI.create("http://127.0.0.1:" + config.ports().keycloak()
						+ "/realms/master/protocol/openid-connect/token"))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString(form)));
			return RoomsClient.JSON.readTree(response.body()).get("access_token").asString();
		}

		private static void createUser(StackConfig config, String adminToken, String username) {
			String user = RoomsClient.JSON.createObjectNode()
				.put("username", username)
				.put("enabled", true)
				.put("email", URLEncoder.encode(username, StandardCharsets.UTF_8) + "@example.test")
				.put("emailVerified", true)
				.put("firstName", "Rooms")
				.put("lastName", "Measure")
				.set("credentials", RoomsClient.JSON.createArrayNode()
					.add(RoomsClient.JSON.createObjectNode()
						.put("type", "password")
						.put("value", username + "-pass")
						.put("temporary", false)))
				.toString();
			HttpResponse<String> response = send(HttpRequest
				.newBuilder(URI.create("http://127.0.0.1:" + config.ports().keycloak() + "/admin/realms/chat/users"))
				.header("Authorization", "Bearer " + adminToken)
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(user)));
			if (response.statusCode() != 201 && response.statusCode() != 409) {
				throw new IllegalStateException("creating " + username + ": " + response.statusCode() + " "
						+ response.body());
			}
		}

		private static HttpResponse<String> send(HttpRequest.Builder request) {
			try {
				return HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}

	}

	/** A token fetched again after four minutes (the realm's tokens live five). */
	private static final class Renewing implements Supplier<String> {

		private final Supplier<String> fetch;

		private String token;

		private Instant fetchedAt = Instant.MIN;

		Renewing(Supplier<String> fetch) {
			this.fetch = fetch;
		}

		@Override
		public synchronized String get() {
			if (token == null || fetchedAt.plus(Duration.ofMinutes(4)).isBefore(Instant.now())) {
				token = fetch.get();
				fetchedAt = Instant.now();
			}
			return token;
		}

	}

}
