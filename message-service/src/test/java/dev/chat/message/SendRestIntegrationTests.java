package dev.chat.message;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.chat.common.error.ErrorTypes;
import dev.chat.common.events.MessageCommand;
import dev.chat.common.events.MessageEvent;
import dev.chat.common.kafka.Topics;
import dev.chat.test.tokens.TokenMinter;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /api/rooms/{roomId}/messages}: 202 once Kafka has the command; 400 for bad input, with nothing published. */
@MessageServiceTest
class SendRestIntegrationTests {

	private static ChatTopics topics;

	private static ChatTopics.Recorder inbound;

	private static ChatTopics.Recorder events;

	@Autowired
	private WebTestClient client;

	@Autowired
	private TokenMinter minter;

	private Rooms rooms;

	private String roomId;

	@BeforeAll
	static void recordTopics() {
		topics = new ChatTopics();
		inbound = topics.record(Topics.MESSAGES_INBOUND);
		events = topics.record(Topics.MESSAGES);
	}

	@AfterAll
	static void stopRecording() {
		topics.close();
	}

	@BeforeEach
	void aRoom() {
		rooms = new Rooms(topics, client, minter);
		roomId = rooms.create("alice");
	}

	@Test
	void aSendIsAcceptedOnceKafkaHasItAndThenStored() {
		post("alice", Map.of("clientMsgId", "rest-1", "body", "hello over REST")).expectStatus()
			.isAccepted()
			.expectBody()
			.jsonPath("$.roomId")
			.isEqualTo(roomId)
			.jsonPath("$.clientMsgId")
			.isEqualTo("rest-1");

		MessageCommand.SendMessage send = ChatTopics.JSON.readValue(awaitInbound().getFirst().value(),
				MessageCommand.SendMessage.class);
		assertThat(send.userId()).isEqualTo(Rooms.id("alice"));
		assertThat(send.body()).isEqualTo("hello over REST");
		MessageEvent.MessageCreated created = Awaitility.await()
			.atMost(Rooms.WAIT)
			.until(() -> events.events(roomId, MessageEvent.MessageCreated.class), list -> !list.isEmpty())
			.getFirst();
		assertThat(created.clientMsgId()).isEqualTo("rest-1");
		assertThat(created.seq()).isEqualTo(1);
	}

	@Test
	void badInputIs400NamingTheFieldAndPublishesNothing() {
		expectInvalid(Map.of("body", "no id"), "clientMsgId");
		expectInvalid(Map.of("clientMsgId", "", "body", "empty id"), "clientMsgId");
		expectInvalid(Map.of("clientMsgId", "has space", "body", "x"), "clientMsgId");
		expectInvalid(Map.of("clientMsgId", "x".repeat(65), "body", "x"), "clientMsgId");
		expectInvalid(Map.of("clientMsgId", "ok"), "body");
		expectInvalid(Map.of("clientMsgId", "ok", "body", " \n\t "), "body");
		expectInvalid(Map.of("clientMsgId", "ok", "body", "x".repeat(4_001)), "body");
		expectInvalid(Map.of("clientMsgId", "ok", "body", "null\u0000byte"), "body");
		expectInvalid(Map.of("clientMsgId", "ok", "body", "escape\u001b[31m"), "body");
		client.post()
			.uri("/api/rooms/{roomId}/messages", roomId)
			.headers(h -> h.setBearerAuth(rooms.token("alice")))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"clientMsgId\":")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);

		// The largest body, newlines and tabs, and every allowed id character are fine.
		String largest = "\uD83D\uDE00".repeat(2_000) + "a\nb\tc".repeat(400);
		post("alice", Map.of("clientMsgId", "Az09._:-", "body", largest)).expectStatus().isAccepted();
		// A room's commands share a partition: the last one there means no earlier one was published.
		assertThat(awaitInbound()).singleElement()
			.satisfies(record -> assertThat(record.value()).contains("Az09._:-"));
	}

	@Test
	void aNonMemberIs403AndAnUnknownRoomIs404() {
		post("bob", Map.of("clientMsgId", "b-1", "body", "hi")).expectStatus()
			.isForbidden()
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo(ErrorTypes.FORBIDDEN.toString());
		client.post()
			.uri("/api/rooms/{roomId}/messages", Rooms.newRoomId())
			.headers(h -> h.setBearerAuth(rooms.token("alice")))
			.bodyValue(Map.of("clientMsgId", "a-1", "body", "hi"))
			.exchange()
			.expectStatus()
			.isNotFound();
		post("alice", Map.of("clientMsgId", "marker", "body", "after the refusals")).expectStatus().isAccepted();
		assertThat(awaitInbound()).singleElement()
			.satisfies(record -> assertThat(record.value()).contains("marker"));
	}

	@Test
	void aRetriedPostIsStoredOnce() {
		for (int i = 0; i < 3; i++) {
			post("alice", Map.of("clientMsgId", "retry-me", "body", "once")).expectStatus().isAccepted();
		}
		List<MessageEvent.MessageCreated> created = Awaitility.await()
			.atMost(Rooms.WAIT)
			.until(() -> events.events(roomId, MessageEvent.MessageCreated.class), list -> list.size() >= 3);
		assertThat(created).extracting(MessageEvent.MessageCreated::seq).containsOnly(1L);
		assertThat(created).extracting(MessageEvent.MessageCreated::eventId).containsOnly(created.getFirst().eventId());
	}

	private List<org.apache.kafka.clients.consumer.ConsumerRecord<String, String>> awaitInbound() {
		return Awaitility.await("a command of " + roomId + " on " + Topics.MESSAGES_INBOUND)
			.atMost(Rooms.WAIT)
			.until(() -> inbound.records(roomId), list -> !list.isEmpty());
	}

	private void expectInvalid(Map<String, String> body, String field) {
		post("alice", new HashMap<>(body)).expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo(ErrorTypes.VALIDATION.toString())
			.jsonPath("$.errors[0].field")
			.isEqualTo(field);
	}

	private WebTestClient.ResponseSpec post(String user, Map<String, String> body) {
		return client.post()
			.uri("/api/rooms/{roomId}/messages", roomId)
			.headers(h -> h.setBearerAuth(rooms.token(user)))
			.bodyValue(body)
			.exchange();
	}

}
