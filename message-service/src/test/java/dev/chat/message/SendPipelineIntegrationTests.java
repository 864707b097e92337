package dev.chat.message;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.chat.common.events.MessageCommand;
import dev.chat.common.events.MessageEvent;
import dev.chat.common.kafka.Topics;
import dev.chat.test.tokens.TokenMinter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The send pipeline against real Kafka and FerretDB: commands published to
 * {@code chat.messages.inbound} as the gateway publishes them, events read from
 * {@code chat.messages}, storage read back through the replay endpoint.
 */
@MessageServiceTest
class SendPipelineIntegrationTests {

	private static ChatTopics topics;

	private static ChatTopics.Recorder events;

	private static ChatTopics.Recorder deadLetters;

	@Autowired
	private WebTestClient client;

	@Autowired
	private TokenMinter minter;

	private Rooms rooms;

	@BeforeAll
	static void recordTopics() {
		topics = new ChatTopics();
		events = topics.record(Topics.MESSAGES);
		deadLetters = topics.record(Topics.deadLetter(Topics.MESSAGES_INBOUND));
	}

	@AfterAll
	static void stopRecording() {
		topics.close();
	}

	@BeforeEach
	void rooms() {
		rooms = new Rooms(topics, client, minter);
	}

	@Test
	void aHundredSendsAreStoredOnceEachWithContiguousSeqsInEachSendersOrder() {
		String roomId = rooms.create("alice", "bob");
		for (int i = 0; i < 50; i++) {
			rooms.send(roomId, "alice", "a-" + i, "alice " + i);
			rooms.send(roomId, "bob", "b-" + i, "bob " + i);
		}

		List<MessageEvent.MessageCreated> created = awaitCreated(roomId, 100);
		assertThat(created).extracting(MessageEvent.MessageCreated::seq)
			.containsExactlyElementsOf(LongStream.rangeClosed(1, 100).boxed().toList());

		List<JsonNode> stored = replay(roomId, "alice");
		assertThat(stored).hasSize(100);
		assertThat(stored).extracting(e -> e.get("seq").asLong())
			.containsExactlyElementsOf(LongStream.rangeClosed(1, 100).boxed().toList());
		assertThat(stored.stream().map(e -> e.get("clientMsgId").asString()).distinct()).hasSize(100);
		assertThat(clientMsgIdsOf(stored, "alice")).containsExactlyElementsOf(numbered("a-", 50));
		assertThat(clientMsgIdsOf(stored, "bob")).containsExactlyElementsOf(numbered("b-", 50));
		assertThat(stored.get(0).get("id").asString()).isEqualTo(roomId + "-1");
	}

	@Test
	void aDuplicateSendIsStoredOnceAndAnsweredWithTheOriginalMessage() {
		String roomId = rooms.create("alice");
		rooms.send(roomId, "alice", "same", "first");
		MessageEvent.MessageCreated original = awaitCreated(roomId, 1).getFirst();

		rooms.send(roomId, "alice", "same", "a retry, whatever its body");
		rooms.send(roomId, "alice", "next", "second");

		List<MessageEvent.MessageCreated> created = awaitCreated(roomId, 3);
		assertThat(created.get(1)).isEqualTo(original);
		assertThat(created.get(2).seq()).isEqualTo(2);
		assertThat(replay(roomId, "alice")).extracting(e -> e.get("clientMsgId").asString())
			.containsExactly("same", "next");
	}

	@Test
	void aDuplicateAmongNewSendsLeavesNoGap() {
		String roomId = rooms.create("alice");
		rooms.send(roomId, "alice", "m-1", "first");
		awaitCreated(roomId, 1);

		rooms.send(roomId, "alice", "m-2", "second");
		rooms.send(roomId, "alice", "m-1", "first, again");
		rooms.send(roomId, "alice", "m-3", "third");

		List<MessageEvent.MessageCreated> created = awaitCreated(roomId, 4);
		assertThat(created).extracting(MessageEvent.MessageCreated::clientMsgId).containsExactly("m-1", "m-2", "m-1", "m-3");
		assertThat(created).extracting(MessageEvent.MessageCreated::seq).containsExactly(1L, 2L, 1L, 3L);
		assertThat(replay(roomId, "alice")).extracting(e -> e.get("seq").asLong()).containsExactly(1L, 2L, 3L);
	}

	@Test
	void theSameSendTwiceInOneBatchIsStoredOnce() {
		String roomId = rooms.create("alice");
		MessageCommand.SendMessage send = MessageCommand.SendMessage.of(roomId, Rooms.id("alice"), "twice", "hi");
		rooms.command(send);
		rooms.command(send);

		List<MessageEvent.MessageCreated> created = awaitCreated(roomId, 2);
		assertThat(created.get(1)).isEqualTo(created.get(0));
		assertThat(replay(roomId, "alice")).hasSize(1);
	}

	@Test
	void aSendFromANonMemberIsRejectedAndNothingIsStored() {
		String roomId = rooms.create("alice");
		rooms.send(roomId, "carol", "c-1", "let me in");

		MessageEvent.MessageRejected rejected = awaitRejected(roomId, 1).getFirst();
		assertThat(rejected.reason()).isEqualTo("not_member");
		assertThat(rejected.senderId()).isEqualTo(Rooms.id("carol"));
		assertThat(rejected.clientMsgId()).isEqualTo("c-1");
		assertThat(replay(roomId, "alice")).isEmpty();
	}

	@Test
	void aSendToAnUnknownRoomIsRejected() {
		String roomId = Rooms.newRoomId();
		rooms.send(roomId, "alice", "x-1", "anyone?");

		assertThat(awaitRejected(roomId, 1).getFirst().reason()).isEqualTo("room_not_found");
	}

	@Test
	void aMalformedSendFromKafkaIsRejectedNotStored() {
		String roomId = rooms.create("alice");
		rooms.send(roomId, "alice", "bad id with spaces", "hello");
		rooms.send(roomId, "alice", "ok-1", "bell \u0007");
		rooms.send(roomId, "alice", "ok-2", "fine");

		awaitCreated(roomId, 1);
		assertThat(awaitRejected(roomId, 2)).extracting(MessageEvent.MessageRejected::reason)
			.containsOnly("invalid_command");
		assertThat(replay(roomId, "alice")).extracting(e -> e.get("clientMsgId").asString()).containsExactly("ok-2");
	}

	@Test
	void aCommandPublishedUnderAnotherRoomsKeyIsRejected() {
		String roomId = rooms.create("alice");
		String otherRoom = rooms.create("alice");
		topics.publish(Topics.MESSAGES_INBOUND, otherRoom,
				MessageCommand.SendMessage.of(roomId, Rooms.id("alice"), "misrouted", "hello"));

		assertThat(awaitRejected(roomId, 1).getFirst().reason()).isEqualTo("invalid_command");
		assertThat(replay(roomId, "alice")).isEmpty();
		assertThat(replay(otherRoom, "alice")).isEmpty();
	}

	@Test
	void anUnreadableRecordGoesToTheDeadLetterTopicAndTheRoomGoesOn() {
		String roomId = rooms.create("alice");
		byte[] garbage = "{\"type\":\"message.send\",\"roomId\":".getBytes(StandardCharsets.UTF_8);
		topics.publish(Topics.MESSAGES_INBOUND, roomId, garbage);
		rooms.send(roomId, "alice", "after", "still here");

		awaitCreated(roomId, 1);
		Awaitility.await("the unreadable record on the dead-letter topic")
			.atMost(Rooms.WAIT)
			.untilAsserted(() -> assertThat(deadLetters.records(roomId)).singleElement()
				.satisfies(record -> assertThat(record.value()).isEqualTo(new String(garbage, StandardCharsets.UTF_8))));
	}

	private List<MessageEvent.MessageCreated> awaitCreated(String roomId, int count) {
		return Awaitility.await(count + " message.created in " + roomId)
			.atMost(Rooms.WAIT)
			.until(() -> events.events(roomId, MessageEvent.MessageCreated.class), list -> list.size() >= count);
	}

	private List<MessageEvent.MessageRejected> awaitRejected(String roomId, int count) {
		return Awaitility.await(count + " message.rejected in " + roomId)
			.atMost(Rooms.WAIT)
			.until(() -> events.events(roomId, MessageEvent.MessageRejected.class), list -> list.size() >= count);
	}

	/** Every stored entry of the room, through the replay endpoint. */
	private List<JsonNode> replay(String roomId, String user) {
		JsonNode page = client.get()
			.uri("/api/rooms/{roomId}/events?afterSeq=0&limit=500", roomId)
			.headers(headers -> headers.setBearerAuth(rooms.token(user)))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		List<JsonNode> entries = new ArrayList<>();
		page.get("events").forEach(entries::add);
		return entries;
	}

	private static List<String> clientMsgIdsOf(List<JsonNode> stored, String user) {
		Map<String, List<String>> bySender = stored.stream()
			.collect(Collectors.groupingBy(e -> e.get("senderId").asString(),
					Collectors.mapping(e -> e.get("clientMsgId").asString(), Collectors.toList())));
		return bySender.get(Rooms.id(user));
	}

	private static List<String> numbered(String prefix, int count) {
		return java.util.stream.IntStream.range(0, count).mapToObj(i -> prefix + i).toList();
	}

}
