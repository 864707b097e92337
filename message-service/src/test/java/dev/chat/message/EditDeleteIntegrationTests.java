package dev.chat.message;

import java.util.List;
import java.util.Map;

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
import dev.chat.common.events.MessageEvent;
import dev.chat.common.kafka.Topics;
import dev.chat.test.tokens.TokenMinter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Edits and deletes: who may, what they store (an entry at the next seq, and the message
 * changed in place), what they publish; over REST, where what can be checked up front is, and as
 * commands straight from Kafka, where the pipeline decides.
 */
@MessageServiceTest
class EditDeleteIntegrationTests {

	private static ChatTopics topics;

	private static ChatTopics.Recorder events;

	@Autowired
	private WebTestClient client;

	@Autowired
	private TokenMinter minter;

	private Rooms rooms;

	private String roomId;

	@BeforeAll
	static void recordEvents() {
		topics = new ChatTopics();
		events = topics.record(Topics.MESSAGES);
	}

	@AfterAll
	static void stopRecording() {
		topics.close();
	}

	/** alice owns the room; bob and carol are members; bob sent message 1, carol message 2. */
	@BeforeEach
	void aRoom() {
		rooms = new Rooms(topics, client, minter);
		roomId = rooms.create("alice", "bob", "carol");
		rooms.send(roomId, "bob", "b-1", "hello");
		rooms.send(roomId, "carol", "c-1", "hi");
		awaitEvents(MessageEvent.MessageCreated.class, 2);
	}

	@Test
	void theSenderEditsTheirMessageAtTheNextSeq() {
		request("bob").patch()
			.uri("/api/rooms/{roomId}/messages/{id}", roomId, roomId + "-1")
			.bodyValue(Map.of("body", "hello, edited"))
			.exchange()
			.expectStatus()
			.isAccepted()
			.expectBody()
			.jsonPath("$.messageId")
			.isEqualTo(roomId + "-1");

		MessageEvent.MessageEdited edited = awaitEvents(MessageEvent.MessageEdited.class, 1).getFirst();
		assertThat(edited.seq()).isEqualTo(3);
		assertThat(edited.messageId()).isEqualTo(roomId + "-1");
		assertThat(edited.body()).isEqualTo("hello, edited");
		assertThat(edited.senderId()).isEqualTo(Rooms.id("bob"));
		assertThat(edited.clientMsgId()).isEqualTo("b-1");
		assertThat(edited.editedAt()).isNotNull();

		JsonNode message = history().get(1);
		assertThat(message.get("seq").asLong()).isEqualTo(1);
		assertThat(message.get("body").asString()).isEqualTo("hello, edited");
		assertThat(message.get("editedAt").asString()).isEqualTo(edited.editedAt().toString());
		assertThat(lastSeq()).isEqualTo(3);
	}

	@Test
	void onlyTheSenderMayEdit() {
		expectProblem(request("alice").patch()
			.uri("/api/rooms/{roomId}/messages/{id}", roomId, roomId + "-1")
			.bodyValue(Map.of("body", "not yours"))
			.exchange(), 403, ErrorTypes.FORBIDDEN);

		rooms.command(Rooms.edit(roomId, "alice", roomId + "-1", "not yours"));
		assertThat(awaitEvents(MessageEvent.MessageRejected.class, 1).getFirst().reason()).isEqualTo("not_sender");
		assertThat(history().get(1).get("body").asString()).isEqualTo("hello");
		assertThat(lastSeq()).isEqualTo(2);
	}

	@Test
	void theRoomsOwnerDeletesAnyonesMessage() {
		request("alice").delete()
			.uri("/api/rooms/{roomId}/messages/{id}", roomId, roomId + "-2")
			.exchange()
			.expectStatus()
			.isAccepted();

		MessageEvent.MessageDeleted deleted = awaitEvents(MessageEvent.MessageDeleted.class, 1).getFirst();
		assertThat(deleted.seq()).isEqualTo(3);
		assertThat(deleted.messageId()).isEqualTo(roomId + "-2");
		assertThat(deleted.deletedBy()).isEqualTo(Rooms.id("alice"));
		assertThat(deleted.senderId()).isEqualTo(Rooms.id("carol"));

		JsonNode message = history().get(0);
		assertThat(message.get("seq").asLong()).isEqualTo(2);
		assertThat(message.get("deleted").asBoolean()).isTrue();
		assertThat(message.has("body")).isFalse();
	}

	@Test
	void theSenderDeletesTheirOwnMessage() {
		rooms.command(Rooms.delete(roomId, "carol", roomId + "-2"));

		assertThat(awaitEvents(MessageEvent.MessageDeleted.class, 1).getFirst().deletedBy())
			.isEqualTo(Rooms.id("carol"));
	}

	@Test
	void aMemberMayNotDeleteAnothersMessage() {
		expectProblem(request("carol").delete().uri("/api/rooms/{roomId}/messages/{id}", roomId, roomId + "-1").exchange(),
				403, ErrorTypes.FORBIDDEN);

		rooms.command(Rooms.delete(roomId, "carol", roomId + "-1"));
		assertThat(awaitEvents(MessageEvent.MessageRejected.class, 1).getFirst().reason()).isEqualTo("not_owner");
		assertThat(history().get(1).has("deleted")).isFalse();
	}

	@Test
	void aDeletedMessageCanNeitherBeEditedNorDeletedAgain() {
		rooms.command(Rooms.delete(roomId, "bob", roomId + "-1"));
		awaitEvents(MessageEvent.MessageDeleted.class, 1);

		expectProblem(request("bob").patch()
			.uri("/api/rooms/{roomId}/messages/{id}", roomId, roomId + "-1")
			.bodyValue(Map.of("body", "resurrect"))
			.exchange(), 404, ErrorTypes.NOT_FOUND);
		rooms.command(Rooms.edit(roomId, "bob", roomId + "-1", "resurrect"));
		rooms.command(Rooms.delete(roomId, "alice", roomId + "-1"));
		assertThat(awaitEvents(MessageEvent.MessageRejected.class, 2)).extracting(MessageEvent.MessageRejected::reason)
			.containsOnly("message_deleted");
		assertThat(lastSeq()).isEqualTo(3);
	}

	@Test
	void anUnknownMessageIs404() {
		for (String id : List.of(roomId + "-99", roomId + "-0", roomId + "-01", "other-room-1", roomId + "-x",
				roomId + "-3")) {
			expectProblem(request("bob").patch()
				.uri("/api/rooms/{roomId}/messages/{id}", roomId, id)
				.bodyValue(Map.of("body", "where?"))
				.exchange(), 404, ErrorTypes.NOT_FOUND);
		}
		rooms.command(Rooms.edit(roomId, "bob", roomId + "-99", "where?"));
		assertThat(awaitEvents(MessageEvent.MessageRejected.class, 1).getFirst().reason())
			.isEqualTo("message_not_found");
	}

	@Test
	void anEditOrDeleteEntryIsNotAMessageToChange() {
		rooms.command(Rooms.edit(roomId, "bob", roomId + "-1", "v2"));
		awaitEvents(MessageEvent.MessageEdited.class, 1);

		expectProblem(request("bob").delete().uri("/api/rooms/{roomId}/messages/{id}", roomId, roomId + "-3").exchange(),
				404, ErrorTypes.NOT_FOUND);
	}

	@Test
	void anEditBreakingTheBodyRulesIs400() {
		request("bob").patch()
			.uri("/api/rooms/{roomId}/messages/{id}", roomId, roomId + "-1")
			.bodyValue(Map.of("body", "  "))
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.errors[0].field")
			.isEqualTo("body");
	}

	@Test
	void aNonMemberCannotEdit() {
		expectProblem(request("dave").patch()
			.uri("/api/rooms/{roomId}/messages/{id}", roomId, roomId + "-1")
			.bodyValue(Map.of("body", "x"))
			.exchange(), 403, ErrorTypes.FORBIDDEN);
	}

	@Test
	void editsAndDeletesAreEntriesOfTheSequenceInTheirOrder() {
		rooms.command(Rooms.edit(roomId, "bob", roomId + "-1", "v2"));
		rooms.send(roomId, "carol", "c-2", "again");
		rooms.command(Rooms.edit(roomId, "bob", roomId + "-1", "v3"));
		rooms.command(Rooms.delete(roomId, "alice", roomId + "-1"));
		awaitEvents(MessageEvent.MessageDeleted.class, 1);

		List<MessageEvent> all = events.events(roomId);
		assertThat(all).extracting(MessageEvent::getClass)
			.containsExactly(MessageEvent.MessageCreated.class, MessageEvent.MessageCreated.class,
					MessageEvent.MessageEdited.class, MessageEvent.MessageCreated.class,
					MessageEvent.MessageEdited.class, MessageEvent.MessageDeleted.class);
		JsonNode replay = request("alice").get()
			.uri("/api/rooms/{roomId}/events?afterSeq=2", roomId)
			.exchange()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		assertThat(replay.get("events")).hasSize(4);
		// Every entry about message 1 shows it as it is now: deleted.
		assertThat(replay.get("events").get(0).get("deleted").asBoolean()).isTrue();
		assertThat(replay.get("events").get(1).get("seq").asLong()).isEqualTo(4);
		assertThat(replay.get("events").get(1).get("id").asString()).isEqualTo(roomId + "-4");
	}

	private WebTestClient request(String user) {
		return client.mutate().defaultHeaders(h -> h.setBearerAuth(rooms.token(user))).build();
	}

	private <T extends MessageEvent> List<T> awaitEvents(Class<T> type, int count) {
		return Awaitility.await(count + " " + type.getSimpleName() + " in " + roomId)
			.atMost(Rooms.WAIT)
			.until(() -> events.events(roomId, type), list -> list.size() >= count);
	}

	private JsonNode history() {
		return request("alice").get()
			.uri("/api/rooms/{roomId}/messages", roomId)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody()
			.get("messages");
	}

	private long lastSeq() {
		return request("alice").get()
			.uri("/api/rooms/{roomId}/messages?limit=1", roomId)
			.exchange()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody()
			.get("lastSeq")
			.asLong();
	}

	private static void expectProblem(WebTestClient.ResponseSpec response, int status, java.net.URI type) {
		response.expectStatus()
			.isEqualTo(status)
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo(type.toString());
	}

}
