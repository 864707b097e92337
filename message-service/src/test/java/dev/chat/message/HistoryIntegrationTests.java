package dev.chat.message;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.chat.common.error.ErrorTypes;
import dev.chat.test.service.PrometheusScrape;
import dev.chat.test.tokens.TokenMinter;

import static dev.chat.test.service.ChatServiceAssertions.expectUnauthorizedProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/rooms/{roomId}/messages} and {@code GET /api/rooms/{roomId}/events} on a room
 * of 150 messages (three buckets) with edits and a delete among them.
 */
@MessageServiceTest
class HistoryIntegrationTests {

	private static final int MESSAGES = 150;

	private static ChatTopics topics;

	private static String roomId;

	@Autowired
	private WebTestClient client;

	@Autowired
	private TokenMinter minter;

	private Rooms rooms;

	@BeforeAll
	static void startTopics() {
		topics = new ChatTopics();
	}

	@AfterAll
	static void closeTopics() {
		topics.close();
	}

	/**
	 * Once per class: messages 1-150, then an edit of message 10 (seq 151), a delete of message
	 * 20 (seq 152) and five more messages (153-157).
	 */
	@BeforeEach
	void aRoomWithHistory() {
		rooms = new Rooms(topics, client, minter);
		if (roomId != null) {
			return;
		}
		String room = rooms.create("alice", "bob");
		for (int i = 1; i <= MESSAGES; i++) {
			rooms.send(room, i % 2 == 0 ? "bob" : "alice", "m-" + i, "message " + i);
		}
		awaitLastSeq(room, MESSAGES);
		rooms.command(Rooms.edit(room, "bob", room + "-10", "message 10, edited"));
		awaitLastSeq(room, MESSAGES + 1);
		rooms.command(Rooms.delete(room, "alice", room + "-20"));
		awaitLastSeq(room, MESSAGES + 2);
		for (int i = MESSAGES + 1; i <= MESSAGES + 5; i++) {
			rooms.send(room, "alice", "m-" + i, "message " + i);
		}
		awaitLastSeq(room, MESSAGES + 7);
		roomId = room;
	}

	@Test
	void everyPageIsTimedAndSoAreTheStoresCommands() {
		PrometheusScrape before = PrometheusScrape.of(client);

		get("/api/rooms/{roomId}/messages?limit=10", "alice");
		get("/api/rooms/{roomId}/events?afterSeq=150", "alice");

		PrometheusScrape after = PrometheusScrape.of(client);
		String messages = "kind=\"messages\"";
		String events = "kind=\"events\"";
		String success = "outcome=\"success\"";
		assertThat(after.value("chat_history_query_seconds_count", messages, success)
				- before.value("chat_history_query_seconds_count", messages, success)).isEqualTo(1);
		assertThat(after.value("chat_history_query_seconds_count", events, success)
				- before.value("chat_history_query_seconds_count", events, success)).isEqualTo(1);
		assertThat(after.has("chat_history_query_seconds_bucket")).as("a histogram").isTrue();
		assertThat(after.value("mongodb_driver_commands_seconds_count", "command=\"find\"")).as("store commands")
			.isGreaterThan(before.value("mongodb_driver_commands_seconds_count", "command=\"find\""));
		assertThat(after.has("kafka_consumer_fetch_manager_records_lag_max")).as("the listeners' lag").isTrue();
		assertThat(after.has("kafka_producer_record_send_total")).as("the producer's sends").isTrue();
	}

	@Test
	void theFirstPageIsTheNewestFiftyMessagesNewestFirst() {
		JsonNode page = get("/api/rooms/{roomId}/messages", "alice");

		assertThat(page.get("lastSeq").asLong()).isEqualTo(157);
		assertThat(page.get("hasMore").asBoolean()).isTrue();
		assertThat(seqs(page.get("messages"))).containsExactlyElementsOf(descending(157, 153, 150, 106));
	}

	@Test
	void pagingBackwardsCrossesBucketsAndSeesEveryMessageOnce() {
		List<Long> seen = new ArrayList<>();
		Long before = null;
		boolean more = true;
		int pages = 0;
		while (more) {
			JsonNode page = get("/api/rooms/{roomId}/messages?limit=40" + (before == null ? "" : "&beforeSeq=" + before),
					"bob");
			List<Long> seqs = seqs(page.get("messages"));
			seen.addAll(seqs);
			more = page.get("hasMore").asBoolean();
			before = seqs.getLast();
			pages++;
		}
		assertThat(pages).isEqualTo(4);
		assertThat(seen).containsExactlyElementsOf(descending(157, 153, 150, 1));
	}

	@Test
	void pagingForwardsReturnsOldestFirst() {
		JsonNode first = get("/api/rooms/{roomId}/messages?afterSeq=0&limit=100", "alice");
		assertThat(seqs(first.get("messages"))).containsExactlyElementsOf(LongStream.rangeClosed(1, 100).boxed().toList());
		assertThat(first.get("hasMore").asBoolean()).isTrue();

		JsonNode second = get("/api/rooms/{roomId}/messages?afterSeq=100&limit=100", "alice");
		List<Long> expected = new ArrayList<>(LongStream.rangeClosed(101, 150).boxed().toList());
		expected.addAll(LongStream.rangeClosed(153, 157).boxed().toList());
		assertThat(seqs(second.get("messages"))).containsExactlyElementsOf(expected);
		assertThat(second.get("hasMore").asBoolean()).isFalse();
	}

	@Test
	void messagesAppearInTheirCurrentStateAtTheirOwnSeq() {
		JsonNode page = get("/api/rooms/{roomId}/messages?afterSeq=9&limit=11", "alice");
		JsonNode edited = page.get("messages").get(0);
		JsonNode deleted = page.get("messages").get(10);

		assertThat(edited.get("seq").asLong()).isEqualTo(10);
		assertThat(edited.get("id").asString()).isEqualTo(roomId + "-10");
		assertThat(edited.get("body").asString()).isEqualTo("message 10, edited");
		assertThat(edited.has("editedAt")).isTrue();
		assertThat(edited.has("deleted")).isFalse();
		assertThat(edited.get("clientMsgId").asString()).isEqualTo("m-10");
		assertThat(edited.get("senderId").asString()).isEqualTo(Rooms.id("bob"));
		assertThat(edited.has("sentAt")).isTrue();

		assertThat(deleted.get("seq").asLong()).isEqualTo(20);
		assertThat(deleted.get("deleted").asBoolean()).isTrue();
		assertThat(deleted.has("body")).isFalse();
	}

	@Test
	void theReplayHasEveryEntryAfterASeqIncludingEditsAndDeletes() {
		JsonNode page = get("/api/rooms/{roomId}/events?afterSeq=148&limit=5", "bob");

		assertThat(seqs(page.get("events"))).containsExactly(149L, 150L, 151L, 152L, 153L);
		assertThat(page.get("hasMore").asBoolean()).isTrue();
		assertThat(page.get("lastSeq").asLong()).isEqualTo(157);
		JsonNode edit = page.get("events").get(2);
		assertThat(edit.get("id").asString()).isEqualTo(roomId + "-10");
		assertThat(edit.get("body").asString()).isEqualTo("message 10, edited");
		assertThat(edit.get("roomId").asString()).isEqualTo(roomId);
		assertThat(edit.has("editedAt")).isTrue();
		JsonNode delete = page.get("events").get(3);
		assertThat(delete.get("id").asString()).isEqualTo(roomId + "-20");
		assertThat(delete.get("deleted").asBoolean()).isTrue();
		assertThat(delete.has("body")).isFalse();

		JsonNode rest = get("/api/rooms/{roomId}/events?afterSeq=153", "bob");
		assertThat(seqs(rest.get("events"))).containsExactly(154L, 155L, 156L, 157L);
		assertThat(rest.get("hasMore").asBoolean()).isFalse();
		assertThat(get("/api/rooms/{roomId}/events?afterSeq=157", "bob").get("events")).isEmpty();
	}

	/** Far past the end: an empty page at once, not a walk towards an overflowed seq. */
	@Test
	void aSeqFarPastTheEndIsAnEmptyPage() {
		for (String path : List.of("/api/rooms/{roomId}/events?afterSeq=9223372036854775807&limit=1",
				"/api/rooms/{roomId}/messages?afterSeq=9223372036854775807",
				"/api/rooms/{roomId}/messages?beforeSeq=9223372036854775807&limit=1")) {
			JsonNode page = get(path, "bob");
			assertThat(page.get("lastSeq").asLong()).as(path).isEqualTo(157);
			assertThat(page.get("hasMore").asBoolean()).as(path).isEqualTo(path.contains("beforeSeq"));
		}
	}

	@Test
	void theReplayFromTheStartCoversTheWholeSequence() {
		JsonNode page = get("/api/rooms/{roomId}/events?afterSeq=0&limit=500", "alice");
		assertThat(seqs(page.get("events"))).containsExactlyElementsOf(LongStream.rangeClosed(1, 157).boxed().toList());
	}

	@Test
	void aNonMemberIsRefusedWith403() {
		for (String path : List.of("/api/rooms/{roomId}/messages", "/api/rooms/{roomId}/events")) {
			expectProblem(client.get().uri(path, roomId).headers(h -> h.setBearerAuth(rooms.token("carol"))).exchange(),
					403, ErrorTypes.FORBIDDEN.toString());
		}
	}

	@Test
	void anUnknownRoomIs404() {
		for (String room : List.of(Rooms.newRoomId(), "not:a:room")) {
			expectProblem(client.get()
				.uri("/api/rooms/{roomId}/messages", room)
				.headers(h -> h.setBearerAuth(rooms.token("alice")))
				.exchange(), 404, ErrorTypes.NOT_FOUND.toString());
		}
	}

	@Test
	void aRequestWithoutTokenIs401() {
		expectUnauthorizedProblem(client.get().uri("/api/rooms/{roomId}/messages", roomId).exchange());
	}

	@Test
	void badPagingParametersAre400NamingTheParameter() {
		expectInvalid("/api/rooms/{roomId}/messages?limit=0", "limit");
		expectInvalid("/api/rooms/{roomId}/messages?limit=201", "limit");
		expectInvalid("/api/rooms/{roomId}/messages?beforeSeq=0", "beforeSeq");
		expectInvalid("/api/rooms/{roomId}/messages?afterSeq=-1", "afterSeq");
		expectInvalid("/api/rooms/{roomId}/messages?afterSeq=1&beforeSeq=5", "afterSeq");
		expectInvalid("/api/rooms/{roomId}/events?limit=501", "limit");
		expectInvalid("/api/rooms/{roomId}/events?afterSeq=-5", "afterSeq");
		expectInvalid("/api/rooms/{roomId}/events?afterSeq=ten", "afterSeq");
		expectInvalid("/api/rooms/{roomId}/messages?limit=99999999999", "limit");
	}

	/** Spring Security's firewall refuses such names only when the handler reads the parameters. */
	@Test
	void aParameterNameWithAControlCharacterIs400() {
		expectProblem(client.get()
			.uri("/api/rooms/{roomId}/messages?{name}=1", roomId, "a\u000eb")
			.headers(h -> h.setBearerAuth(rooms.token("alice")))
			.exchange(), 400, ErrorTypes.VALIDATION.toString());
	}

	@Test
	void theLargestPageIsAllowed() {
		assertThat(get("/api/rooms/{roomId}/messages?limit=200", "alice").get("messages")).hasSize(155);
	}

	private void expectInvalid(String uri, String field) {
		expectProblem(client.get().uri(uri, roomId).headers(h -> h.setBearerAuth(rooms.token("alice"))).exchange(),
				400, ErrorTypes.VALIDATION.toString())
			.jsonPath("$.errors[0].field")
			.isEqualTo(field);
	}

	private static WebTestClient.BodyContentSpec expectProblem(WebTestClient.ResponseSpec response, int status,
			String type) {
		return response.expectStatus()
			.isEqualTo(status)
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo(type);
	}

	private JsonNode get(String uri, String user) {
		return client.get()
			.uri(uri, roomId)
			.headers(h -> h.setBearerAuth(rooms.token(user)))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
	}

	private void awaitLastSeq(String room, long lastSeq) {
		Awaitility.await("last seq " + lastSeq)
			.atMost(Rooms.WAIT)
			.until(() -> client.get()
				.uri("/api/rooms/{roomId}/messages?limit=1", room)
				.headers(h -> h.setBearerAuth(rooms.token("alice")))
				.exchange()
				.expectBody(JsonNode.class)
				.returnResult()
				.getResponseBody()
				.get("lastSeq")
				.asLong() >= lastSeq);
	}

	private static List<Long> seqs(JsonNode messages) {
		List<Long> seqs = new ArrayList<>();
		messages.forEach(message -> seqs.add(message.get("seq").asLong()));
		return seqs;
	}

	/** from..downTo, skipping 152 and 151 (an edit and a delete: entries, not messages). */
	private static List<Long> descending(long from, long to, long resume, long downTo) {
		List<Long> seqs = new ArrayList<>();
		for (long seq = from; seq >= to; seq--) {
			seqs.add(seq);
		}
		for (long seq = resume; seq >= downTo; seq--) {
			seqs.add(seq);
		}
		return seqs;
	}

}
