package dev.chat.message;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.chat.common.events.MessageEvent;
import dev.chat.common.events.RoomEvent;
import dev.chat.common.kafka.Topics;
import dev.chat.test.tokens.TokenMinter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The membership projection fed by {@code chat.rooms}, observed the way it is used: who may read
 * a room's history, and whose sends are stored.
 */
@MessageServiceTest
class MembershipProjectionIntegrationTests {

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
		deadLetters = topics.record(Topics.deadLetter(Topics.ROOMS));
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
	void theCreatorOfARoomIsItsOwnerAndOnlyMember() {
		String roomId = rooms.create("alice");

		expectStatus(roomId, "bob", 403);
		rooms.send(roomId, "alice", "a-1", "mine");
		rooms.command(Rooms.delete(roomId, "alice", roomId + "-1"));
		Awaitility.await()
			.atMost(Rooms.WAIT)
			.until(() -> events.events(roomId, MessageEvent.MessageDeleted.class), list -> !list.isEmpty());
	}

	@Test
	void aJoinMakesAMemberAndALeaveUndoesIt() {
		String roomId = rooms.create("alice");
		rooms.join(roomId, "bob");

		rooms.publish(new RoomEvent.MemberLeft(UUID.randomUUID(), 1, Instant.now(), roomId, Rooms.id("bob")));
		awaitStatus(roomId, "bob", 403);
		rooms.send(roomId, "bob", "b-1", "still here?");
		assertThat(Awaitility.await()
			.atMost(Rooms.WAIT)
			.until(() -> events.events(roomId, MessageEvent.MessageRejected.class), list -> !list.isEmpty())
			.getFirst()
			.reason()).isEqualTo("not_member");
	}

	@Test
	void aRedeliveredJoinDoesNotUndoALaterLeave() {
		String roomId = rooms.create("alice");
		RoomEvent.MemberJoined joined = new RoomEvent.MemberJoined(UUID.randomUUID(), 1, Instant.now(), roomId,
				Rooms.id("bob"), "member");
		rooms.publish(joined);
		rooms.publish(new RoomEvent.MemberLeft(UUID.randomUUID(), 1, Instant.now(), roomId, Rooms.id("bob")));
		rooms.publish(joined);
		// carol's join comes after the redelivery in the room's partition: once it shows, so has that.
		rooms.join(roomId, "carol");

		expectStatus(roomId, "bob", 403);
	}

	@Test
	void anInvitationIsNotMembership() {
		String roomId = rooms.create("alice");
		rooms.publish(new RoomEvent.MemberInvited(UUID.randomUUID(), 1, Instant.now(), roomId, Rooms.id("bob"),
				Rooms.id("alice")));
		rooms.join(roomId, "carol");

		expectStatus(roomId, "bob", 403);
	}

	@Test
	void anUnreadableRoomEventGoesToTheDeadLetterTopicAndTheProjectionGoesOn() {
		String roomId = Rooms.newRoomId();
		byte[] garbage = "not json".getBytes(StandardCharsets.UTF_8);
		topics.publish(Topics.ROOMS, roomId, garbage);
		rooms.publish(new RoomEvent.RoomCreated(UUID.randomUUID(), 1, Instant.now(), roomId, "after garbage",
				"public", Rooms.id("alice")));

		rooms.awaitMember(roomId, "alice");
		Awaitility.await("the unreadable record on " + Topics.deadLetter(Topics.ROOMS))
			.atMost(Rooms.WAIT)
			.untilAsserted(() -> assertThat(deadLetters.records(roomId)).singleElement()
				.satisfies(record -> assertThat(record.value()).isEqualTo("not json")));
	}

	private void awaitStatus(String roomId, String user, int status) {
		Awaitility.await(user + " gets " + status + " from " + roomId)
			.atMost(Rooms.WAIT)
			.untilAsserted(() -> expectStatus(roomId, user, status));
	}

	private void expectStatus(String roomId, String user, int status) {
		client.get()
			.uri("/api/rooms/{roomId}/messages", roomId)
			.headers(h -> h.setBearerAuth(rooms.token(user)))
			.exchange()
			.expectStatus()
			.isEqualTo(status);
	}

}
