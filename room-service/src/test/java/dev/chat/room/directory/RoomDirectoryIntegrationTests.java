package dev.chat.room.directory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.chat.common.error.ErrorTypes;
import dev.chat.room.RoomsApi;
import dev.chat.test.service.ChatServiceTest;
import dev.chat.test.tokens.TokenMinter;

import static dev.chat.room.RoomsApi.body;
import static dev.chat.room.RoomsApi.idOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.data.mongodb.core.query.Criteria.where;

/**
 * Creating, reading, listing and searching rooms on room-service as a whole, against FerretDB,
 * Kafka and the test token issuer.
 */
@ChatServiceTest
class RoomDirectoryIntegrationTests {

	private static final List<String> COLLECTIONS = List.of("rooms", "room_names", "memberships", "room_members",
			"user_rooms", "invitations", "outbox");

	@Autowired
	private WebTestClient client;

	@Autowired
	private TokenMinter minter;

	@Autowired
	private ReactiveMongoTemplate mongo;

	private RoomsApi api;

	@BeforeEach
	void api() {
		api = new RoomsApi(client, minter);
	}

	@Test
	void creatingARoomAnswers201WithItsLocationAndMakesTheCreatorOwnerAndMember() {
		String name = "Design " + unique();

		WebTestClient.ResponseSpec response = api.create("alice", name, "public");

		JsonNode room = body(response.expectStatus()
			.isCreated()
			.expectHeader()
			.valueMatches(HttpHeaders.LOCATION, "/api/rooms/[0-9a-f]{24}"));
		assertThat(room.get("name").asString()).isEqualTo(name);
		assertThat(room.get("visibility").asString()).isEqualTo("public");
		assertThat(room.get("ownerId").asString()).isEqualTo(idOf("alice"));
		assertThat(room.get("memberCount").asLong()).isEqualTo(1);
		assertThat(room.get("role").asString()).isEqualTo("owner");

		JsonNode read = body(api.room("alice", room.get("id").asString()).expectStatus().isOk());
		assertThat(read.get("role").asString()).isEqualTo("owner");
		assertThat(read.get("memberCount").asLong()).isEqualTo(1);
		JsonNode members = body(api.get("alice", "/api/rooms/" + room.get("id").asString() + "/members")
			.expectStatus()
			.isOk());
		assertThat(members.get("items")).hasSize(1);
		assertThat(members.get("items").get(0).get("role").asString()).isEqualTo("owner");
	}

	@Test
	void aRoomReadByAnotherUserShowsNoRoleUntilTheyJoin() {
		String roomId = api.createdRoom("alice", "Lobby " + unique(), "public");

		JsonNode room = body(api.room("bob", roomId).expectStatus().isOk());

		assertThat(room.get("role").isNull()).isTrue();
		assertThat(room.get("memberCount").asLong()).isEqualTo(1);
	}

	@Test
	void surroundingWhiteSpaceIsStrippedAndADescriptionIsKept() {
		String name = "Trimmed " + unique();

		JsonNode room = body(api.post("alice", "/api/rooms",
				Map.of("name", "  " + name + "  ", "description", "About\nthings", "visibility", "private"))
			.expectStatus()
			.isCreated());

		assertThat(room.get("name").asString()).isEqualTo(name);
		assertThat(room.get("description").asString()).isEqualTo("About\nthings");
		assertThat(room.get("visibility").asString()).isEqualTo("private");
	}

	@Test
	void aNameOfEightyCharactersIsAccepted() {
		String name = (unique() + "x".repeat(80)).substring(0, 80);

		api.create("alice", name, "public").expectStatus().isCreated();
	}

	@Test
	void namesAreUniqueIgnoringCase() {
		String name = "Unique Name " + unique();
		api.create("alice", name, "public").expectStatus().isCreated();

		for (String clash : List.of(name, name.toUpperCase(), name.toLowerCase(), " " + name + " ")) {
			api.create("bob", clash, "private")
				.expectStatus()
				.isEqualTo(409)
				.expectHeader()
				.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
				.expectBody()
				.jsonPath("$.type")
				.isEqualTo(ErrorTypes.CONFLICT.toString());
		}
		assertThat(count("rooms", Map.of("nameKey", name.toLowerCase()))).isEqualTo(1);
	}

	@Test
	void tenConcurrentCreatesOfOneNameMakeOneRoomAndNineConflicts() throws Exception {
		String name = "Race " + unique();
		List<String> users = List.of("u0", "u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9");
		List<String> tokens = users.stream().map(api::token).toList();
		// All of them hit one document (the room, or the name) and SQLite writes one at a time:
		// on a busy machine the last answer can take longer than the client's default 5 s.
		WebTestClient patient = client.mutate().responseTimeout(Duration.ofSeconds(60)).build();
		CountDownLatch start = new CountDownLatch(1);
		List<Future<Integer>> statuses = new ArrayList<>();
		try (ExecutorService pool = Executors.newFixedThreadPool(users.size())) {
			for (String token : tokens) {
				statuses.add(pool.submit(() -> {
					start.await();
					return patient.post()
						.uri("/api/rooms")
						.headers(h -> h.setBearerAuth(token))
						.contentType(MediaType.APPLICATION_JSON)
						.bodyValue(Map.of("name", name, "visibility", "public"))
						.exchange()
						.returnResult(String.class)
						.getStatus()
						.value();
				}));
			}
			start.countDown();
			List<Integer> answered = new ArrayList<>();
			for (Future<Integer> status : statuses) {
				answered.add(status.get());
			}
			assertThat(answered).containsOnly(201, 409);
			assertThat(answered).filteredOn(status -> status == 201).hasSize(1);
			assertThat(answered).filteredOn(status -> status == 409).hasSize(9);
		}
		assertThat(count("rooms", Map.of("nameKey", name.toLowerCase()))).isEqualTo(1);
		assertThat(count("room_names", Map.of("_id", name.toLowerCase()))).isEqualTo(1);
		// The winner's event is published; no loser left an entry behind.
		await().atMost(Duration.ofSeconds(20)).until(() -> count("outbox", Map.of()) == 0);
	}

	static Stream<Arguments> badCreateRequests() {
		return Stream.of(Arguments.of("empty name", "{\"name\":\"\",\"visibility\":\"public\"}", "name"),
				Arguments.of("blank name", "{\"name\":\"   \",\"visibility\":\"public\"}", "name"),
				Arguments.of("missing name", "{\"visibility\":\"public\"}", "name"),
				Arguments.of("name of 81 characters", "{\"name\":\"" + "n".repeat(81) + "\",\"visibility\":\"public\"}",
						"name"),
				Arguments.of("bell in the name", "{\"name\":\"ding\\u0007\",\"visibility\":\"public\"}", "name"),
				Arguments.of("line break in the name", "{\"name\":\"two\\nlines\",\"visibility\":\"public\"}", "name"),
				Arguments.of("NUL in the name", "{\"name\":\"nul\\u0000\",\"visibility\":\"public\"}", "name"),
				Arguments.of("right-to-left override in the name",
						"{\"name\":\"gpj.\\u202Eexe\",\"visibility\":\"public\"}", "name"),
				Arguments.of("unknown visibility", "{\"name\":\"ok\",\"visibility\":\"secret\"}", "visibility"),
				Arguments.of("visibility in capitals", "{\"name\":\"ok\",\"visibility\":\"PUBLIC\"}", "visibility"),
				Arguments.of("missing visibility", "{\"name\":\"ok\"}", "visibility"),
				Arguments.of("description of 501 characters",
						"{\"name\":\"ok\",\"visibility\":\"public\",\"description\":\"" + "d".repeat(501) + "\"}",
						"description"),
				Arguments.of("escape character in the description",
						"{\"name\":\"ok\",\"visibility\":\"public\",\"description\":\"\\u001b[31m\"}", "description"),
				Arguments.of("name of the wrong type", "{\"name\":{\"a\":1},\"visibility\":\"public\"}", "name"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badCreateRequests")
	void badInputIsA400NamingTheFieldAndStoresNothing(String variant, String json, String field) {
		Map<String, Long> before = counts();

		api.postRaw("alice", "/api/rooms", json)
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo(ErrorTypes.VALIDATION.toString())
			.jsonPath("$.errors[*].field")
			.value(fields -> assertThat(fields.toString()).contains(field));

		assertThat(counts()).isEqualTo(before);
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "not json", "[]", "" })
	void aBodyThatIsNotARoomIsA400AndStoresNothing(String json) {
		Map<String, Long> before = counts();

		api.postRaw("alice", "/api/rooms", json)
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo(ErrorTypes.VALIDATION.toString());

		assertThat(counts()).isEqualTo(before);
	}

	@Test
	void anUnknownRoomIs404() {
		api.room("alice", "0123456789abcdef01234567")
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo(ErrorTypes.NOT_FOUND.toString());
	}

	@Test
	void aBodyOverTheLimitIs413AndCreatesNothing() {
		String name = "Huge " + unique();
		String huge = "{\"name\":\"" + name + "\",\"visibility\":\"public\",\"description\":\"" + "x".repeat(300 * 1024)
				+ "\"}";

		api.postRaw("alice", "/api/rooms", huge)
			.expectStatus()
			.isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo(ErrorTypes.TOO_LARGE.toString())
			.jsonPath("$.traceId")
			.isNotEmpty();
		api.get("alice", "/api/rooms?q=" + name.replace(" ", "%20"))
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.items.length()")
			.isEqualTo(0);
	}

	@Test
	void aWrongMethodIs405WithAllow() {
		api.delete("alice", "/api/rooms")
			.expectStatus()
			.isEqualTo(HttpStatus.METHOD_NOT_ALLOWED)
			.expectHeader()
			.exists(HttpHeaders.ALLOW)
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo(ErrorTypes.METHOD_NOT_ALLOWED.toString());
	}

	@ParameterizedTest
	@ValueSource(strings = { "abc", "0123456789ABCDEF01234567", "0123456789abcdef012345678", "zzzzzzzzzzzzzzzzzzzzzzzz" })
	void aMalformedRoomIdIsA400NamingIt(String roomId) {
		api.room("alice", roomId)
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.errors[0].field")
			.isEqualTo("roomId");
	}

	@Test
	void aPrivateRoomIs404ForStrangersAndVisibleToItsMembersInviteesAndAdmins() {
		String roomId = api.createdRoom("alice", "Secret " + unique(), "private");

		api.room("bob", roomId).expectStatus().isNotFound();
		api.join("bob", roomId).expectStatus().isForbidden();
		api.get("bob", "/api/rooms/" + roomId + "/members").expectStatus().isNotFound();
		api.leave("bob", roomId).expectStatus().isNotFound();

		api.room("alice", roomId).expectStatus().isOk();
		api.room("carol", roomId).expectStatus().isOk();
		api.invite("alice", roomId, "bob").expectStatus().isCreated();
		JsonNode asInvitee = body(api.room("bob", roomId).expectStatus().isOk());
		assertThat(asInvitee.get("invited").asBoolean()).isTrue();
		assertThat(asInvitee.get("role").isNull()).isTrue();
	}

	@Test
	void listingPagesThroughThreePagesInCreationOrder() {
		String tag = unique();
		List<String> created = IntStream.range(0, 25)
			.mapToObj(i -> api.createdRoom(i % 2 == 0 ? "alice" : "bob", "paged " + tag + " " + i, "public"))
			.toList();

		List<String> seen = new ArrayList<>();
		List<Integer> sizes = new ArrayList<>();
		String cursor = null;
		do {
			String uri = "/api/rooms?q=" + tag + "&limit=10" + (cursor != null ? "&cursor=" + cursor : "");
			JsonNode page = body(api.get("carol", uri).expectStatus().isOk());
			sizes.add(page.get("items").size());
			page.get("items").forEach(item -> seen.add(item.get("id").asString()));
			cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
		}
		while (cursor != null);

		assertThat(sizes).containsExactly(10, 10, 5);
		assertThat(seen).containsExactlyElementsOf(created);
	}

	/**
	 * Rooms created at the same moment by several clients still page through completely: each
	 * exactly once, none skipped at a page boundary (the order is the order of insertion).
	 */
	@Test
	void roomsCreatedConcurrentlyArePagedThroughEachExactlyOnce() throws Exception {
		String tag = unique();
		List<Future<String>> creates = new ArrayList<>();
		try (ExecutorService pool = Executors.newFixedThreadPool(6)) {
			for (int i = 0; i < 30; i++) {
				String name = "burst " + tag + " " + i;
				String user = "burst-" + (i % 6);
				creates.add(pool.submit(() -> api.createdRoom(user, name, "public")));
			}
		}
		List<String> created = new ArrayList<>();
		for (Future<String> create : creates) {
			created.add(create.get());
		}

		List<String> seen = new ArrayList<>();
		String cursor = null;
		int pages = 0;
		do {
			JsonNode page = body(api.get("alice", "/api/rooms?q=" + tag + "&limit=7"
					+ (cursor != null ? "&cursor=" + cursor : "")).expectStatus().isOk());
			pages++;
			page.get("items").forEach(item -> seen.add(item.get("id").asString()));
			cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
		}
		while (cursor != null);

		assertThat(seen).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(created);
		assertThat(pages).isEqualTo(5);
	}

	@Test
	void theDefaultPageHoldsTwentyRooms() {
		String tag = unique();
		IntStream.range(0, 21).forEach(i -> api.createdRoom("alice", "default " + tag + " " + i, "public"));

		JsonNode page = body(api.get("bob", "/api/rooms?q=" + tag).expectStatus().isOk());

		assertThat(page.get("items")).hasSize(20);
		assertThat(page.get("nextCursor").isNull()).isFalse();
	}

	@Test
	void searchMatchesAnyPartOfTheNameIgnoringCase() {
		String tag = unique();
		String alpha = api.createdRoom("alice", "The Alpha Room " + tag, "public");
		api.createdRoom("alice", "Beta " + tag, "public");
		String alphabet = api.createdRoom("bob", "alphabet soup " + tag, "public");

		JsonNode page = body(api.get("carol", "/api/rooms?q=ALPHA&limit=100").expectStatus().isOk());

		List<String> ids = new ArrayList<>();
		page.get("items").forEach(item -> ids.add(item.get("id").asString()));
		assertThat(ids).contains(alpha, alphabet);
		page.get("items").forEach(item -> assertThat(item.get("name").asString().toLowerCase()).contains("alpha"));
	}

	@Test
	void searchTreatsRegularExpressionCharactersLiterally() {
		String tag = unique();
		String dotted = api.createdRoom("alice", "a.c " + tag, "public");
		api.createdRoom("alice", "abc " + tag, "public");

		JsonNode page = body(api.get("alice", "/api/rooms?q=a.c%20" + tag).expectStatus().isOk());

		assertThat(page.get("items")).hasSize(1);
		assertThat(page.get("items").get(0).get("id").asString()).isEqualTo(dotted);
	}

	@Test
	void listingShowsPublicRoomsAndThePrivateRoomsOfTheCallerOnly() {
		String tag = unique();
		String open = api.createdRoom("alice", "open " + tag, "public");
		String alicesSecret = api.createdRoom("alice", "alice secret " + tag, "private");
		String bobsSecret = api.createdRoom("bob", "bob secret " + tag, "private");

		assertThat(idsOf(api.get("alice", "/api/rooms?q=" + tag))).containsExactly(open, alicesSecret);
		assertThat(idsOf(api.get("bob", "/api/rooms?q=" + tag))).containsExactly(open, bobsSecret);
		assertThat(idsOf(api.get("dave", "/api/rooms?q=" + tag))).containsExactly(open);
	}

	@Test
	void mineListsOnlyTheCallersRoomsWithTheirRole() {
		String me = "mine-" + unique();
		String tag = unique();
		String own = api.createdRoom(me, "own " + tag, "private");
		String other = api.createdRoom("alice", "other " + tag, "public");
		api.createdRoom("alice", "not joined " + tag, "public");
		api.join(me, other).expectStatus().isOk();

		JsonNode page = body(api.get(me, "/api/rooms?mine=true").expectStatus().isOk());

		assertThat(page.get("items")).hasSize(2);
		assertThat(page.get("items").get(0).get("id").asString()).isEqualTo(own);
		assertThat(page.get("items").get(0).get("role").asString()).isEqualTo("owner");
		assertThat(page.get("items").get(1).get("id").asString()).isEqualTo(other);
		assertThat(page.get("items").get(1).get("role").asString()).isEqualTo("member");
		assertThat(idsOf(api.get(me, "/api/rooms?mine=true&q=OWN"))).containsExactly(own);
		JsonNode first = body(api.get(me, "/api/rooms?mine=true&limit=1").expectStatus().isOk());
		assertThat(first.get("items").get(0).get("id").asString()).isEqualTo(own);
		String cursor = first.get("nextCursor").asString();
		assertThat(idsOf(api.get(me, "/api/rooms?mine=true&limit=1&cursor=" + cursor))).containsExactly(other);
		// A cursor of "my rooms" is not a cursor of the whole listing, and the other way round.
		api.get(me, "/api/rooms?limit=1&cursor=" + cursor).expectStatus().isBadRequest();
	}

	@Test
	void mineOfAUserWithoutRoomsIsEmpty() {
		JsonNode page = body(api.get("nobody-" + unique(), "/api/rooms?mine=true").expectStatus().isOk());

		assertThat(page.get("items")).isEmpty();
		assertThat(page.get("nextCursor").isNull()).isTrue();
	}

	static Stream<Arguments> badListRequests() {
		String membersCursor = java.util.Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString("members:0123456789abcdef01234567".getBytes());
		return Stream.of(Arguments.of("limit=0", "limit"), Arguments.of("limit=101", "limit"),
				Arguments.of("limit=-1", "limit"), Arguments.of("limit=ten", "limit"),
				Arguments.of("cursor=not-a-cursor!", "cursor"), Arguments.of("cursor=cm9vbXM6eHl6", "cursor"),
				Arguments.of("cursor=" + membersCursor, "cursor"), Arguments.of("mine=yes", "mine"),
				Arguments.of("q=" + "q".repeat(81), "q"), Arguments.of("q=%07", "q"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badListRequests")
	void badListParametersAreA400NamingTheParameter(String query, String field) {
		api.get("alice", "/api/rooms?" + query)
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.errors[0].field")
			.isEqualTo(field);
	}

	@Test
	void requestsWithoutATokenAreRefused() {
		client.get().uri("/api/rooms").exchange().expectStatus().isUnauthorized();
		client.post()
			.uri("/api/rooms")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("name", "x", "visibility", "public"))
			.exchange()
			.expectStatus()
			.isUnauthorized();
	}

	private List<String> idsOf(WebTestClient.ResponseSpec response) {
		List<String> ids = new ArrayList<>();
		body(response.expectStatus().isOk()).get("items").forEach(item -> ids.add(item.get("id").asString()));
		return ids;
	}

	/** Every collection's size, once earlier tests' events are published (the outbox is empty). */
	private Map<String, Long> counts() {
		await().atMost(Duration.ofSeconds(20)).until(() -> count("outbox", Map.of()) == 0);
		Map<String, Long> counts = new java.util.TreeMap<>();
		COLLECTIONS.forEach(collection -> counts.put(collection, count(collection, Map.of())));
		return counts;
	}

	private long count(String collection, Map<String, Object> equals) {
		Query query = new Query();
		equals.forEach((field, value) -> query.addCriteria(where(field).is(value)));
		return mongo.count(query, collection).block(Duration.ofSeconds(10));
	}

	private static String unique() {
		return UUID.randomUUID().toString().substring(0, 8);
	}

}
