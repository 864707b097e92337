package dev.chat.room.outbox;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.chat.common.events.RoomEvent;
import dev.chat.room.RoomEventsTopic;
import dev.chat.room.RoomsApi;
import dev.chat.test.kafka.TestKafka;
import dev.chat.test.service.ChatServiceTest;
import dev.chat.test.tokens.TokenMinter;

import static dev.chat.room.RoomsApi.body;
import static dev.chat.room.RoomsApi.idOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.data.mongodb.core.query.Criteria.where;

/**
 * What reaches {@code chat.rooms}: each stored change exactly once, keyed by its room, in the
 * order of the changes; nothing for a refused change; and, for a request that died between the
 * outbox intent and its confirmation, the event if and only if its change was stored.
 */
@ChatServiceTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RoomEventsIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Autowired
	private WebTestClient client;

	@Autowired
	private TokenMinter minter;

	@Autowired
	private ReactiveMongoTemplate mongo;

	private RoomsApi api;

	private RoomEventsTopic topic;

	@BeforeAll
	void subscribe() {
		topic = new RoomEventsTopic(TestKafka.shared().bootstrapServers());
	}

	@AfterAll
	void unsubscribe() {
		topic.close();
	}

	@BeforeEach
	void api() {
		api = new RoomsApi(client, minter);
	}

	@Test
	void everyChangeIsPublishedOnceKeyedByItsRoomInTheOrderOfTheChanges() {
		String roomId = api.createdRoom("alice", "Events " + unique(), "private");
		api.invite("alice", roomId, "bob").expectStatus().isCreated();
		api.join("bob", roomId).expectStatus().isOk();
		api.leave("bob", roomId).expectStatus().isNoContent();

		List<RoomEventsTopic.Record> records = topic.awaitRoom(roomId, seen -> seen.size() >= 4, WAIT);

		assertThat(records).extracting(RoomEventsTopic.Record::type)
			.containsExactly(RoomEvent.RoomCreated.TYPE, RoomEvent.MemberInvited.TYPE, RoomEvent.MemberJoined.TYPE,
					RoomEvent.MemberLeft.TYPE);
		assertThat(records).extracting(RoomEventsTopic.Record::key).containsOnly(roomId);
		assertThat(records).extracting(RoomEventsTopic.Record::eventId).doesNotHaveDuplicates();
		JsonNode created = records.get(0).event();
		assertThat(created.get("ownerId").asString()).isEqualTo(idOf("alice"));
		assertThat(created.get("visibility").asString()).isEqualTo("private");
		assertThat(created.get("version").asInt()).isEqualTo(1);
		assertThat(records.get(1).event().get("invitedBy").asString()).isEqualTo(idOf("alice"));
		assertThat(records.get(2).event().get("userId").asString()).isEqualTo(idOf("bob"));
		assertThat(records.get(2).event().get("role").asString()).isEqualTo("member");
		await().atMost(WAIT).until(() -> outboxOf(roomId) == 0);
		// Published events leave no evidence behind in the membership.
		Document membership = mongo.findById(roomId + ":" + idOf("bob"), Document.class, "memberships").block();
		assertThat(membership.getList("outbox", String.class)).isEmpty();
	}

	@Test
	void aRefusedChangePublishesNothing() {
		String name = "Refused " + unique();
		String roomId = api.createdRoom("alice", name, "public");
		api.join("bob", roomId).expectStatus().isOk();

		api.create("bob", name, "public").expectStatus().isEqualTo(409);
		api.join("bob", roomId).expectStatus().isOk();
		api.leave("dave", roomId).expectStatus().isNoContent();
		api.invite("alice", roomId, "bob").expectStatus().isEqualTo(409);
		api.leave("alice", roomId).expectStatus().isEqualTo(409);

		List<RoomEventsTopic.Record> records = topic.pollFor(roomId, Duration.ofSeconds(3));
		assertThat(records).extracting(RoomEventsTopic.Record::type)
			.containsExactly(RoomEvent.RoomCreated.TYPE, RoomEvent.MemberJoined.TYPE);
		assertThat(topic.all()).as("room.created events for the name")
			.filteredOn(record -> name.equals(record.event().path("name").asString()))
			.hasSize(1);
		assertThat(outboxOf(roomId)).isZero();
	}

	@Test
	void anIntentWhoseChangeWasNeverStoredIsDiscardedUnpublished() {
		String roomId = api.createdRoom("alice", "Dead request " + unique(), "public");
		// A join that wrote its intent and died before writing the membership.
		RoomEvent.MemberJoined event = RoomEvent.MemberJoined.of(roomId, idOf("dave"), "member",
				Instant.now().minus(Duration.ofMinutes(2)));
		insertIntent(event, roomId + ":" + idOf("dave"), Instant.now().minus(Duration.ofMinutes(2)));

		await().atMost(WAIT).until(() -> entry(event) == null);

		assertThat(topic.pollFor(roomId, Duration.ofSeconds(2))).extracting(RoomEventsTopic.Record::eventId)
			.doesNotContain(event.eventId().toString());
		assertThat(body(api.room("alice", roomId).expectStatus().isOk()).get("memberCount").asLong()).isEqualTo(1);
	}

	@Test
	void anIntentWhoseRequestDiedAfterStoringTheChangeIsCompletedAndPublished() {
		String roomId = api.createdRoom("alice", "Half done " + unique(), "public");
		Instant before = Instant.now().minus(Duration.ofMinutes(2));
		// A join that wrote its intent and the membership, then died: no count, no member list,
		// no confirmation.
		RoomEvent.MemberJoined event = RoomEvent.MemberJoined.of(roomId, idOf("erin"), "member", before);
		insertIntent(event, roomId + ":" + idOf("erin"), before);
		mongo.insert(new Document("_id", roomId + ":" + idOf("erin")).append("roomId", roomId)
			.append("userId", idOf("erin"))
			.append("state", "MEMBER")
			.append("joinedAt", java.util.Date.from(before))
			.append("outbox", List.of(event.eventId().toString())), "memberships").block();

		List<RoomEventsTopic.Record> records = topic.awaitRoom(roomId,
				seen -> seen.stream().anyMatch(r -> r.eventId().equals(event.eventId().toString())), WAIT);

		assertThat(records).filteredOn(r -> r.eventId().equals(event.eventId().toString())).hasSize(1);
		JsonNode room = body(api.room("erin", roomId).expectStatus().isOk());
		assertThat(room.get("memberCount").asLong()).isEqualTo(2);
		assertThat(room.get("role").asString()).isEqualTo("member");
		assertThat(body(api.get("erin", "/api/rooms?mine=true").expectStatus().isOk()).get("items")).hasSize(1);
		await().atMost(WAIT).until(() -> entry(event) == null);
	}

	private void insertIntent(RoomEvent event, String subject, Instant createdAt) {
		mongo.insert(new OutboxEntry(event.eventId().toString(), event.type(), event.roomId(), subject,
				JSON.writerFor(RoomEvent.class).writeValueAsString(event), OutboxEntry.State.INTENT, createdAt))
			.block(Duration.ofSeconds(10));
	}

	private OutboxEntry entry(RoomEvent event) {
		return mongo.findById(event.eventId().toString(), OutboxEntry.class).block(Duration.ofSeconds(10));
	}

	private long outboxOf(String roomId) {
		return mongo.count(new Query(where("roomId").is(roomId)), OutboxEntry.class).block(Duration.ofSeconds(10));
	}

	private static String unique() {
		return UUID.randomUUID().toString().substring(0, 8);
	}

}
