package dev.chat.message;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.chat.common.events.MessageCommand;
import dev.chat.common.events.MessageEvent;
import dev.chat.common.kafka.Topics;
import dev.chat.message.store.Bucket;
import dev.chat.message.store.Claim;
import dev.chat.message.store.Entry;
import dev.chat.message.store.MessageId;
import dev.chat.message.store.MessageStore;
import dev.chat.test.tokens.TokenMinter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A crash between any two writes of a stored entry: each test writes, with the store's own
 * operations, exactly what an attempt that died at that point leaves behind, then delivers the
 * same command again (as Kafka does when the offset was not committed) and checks it ends up
 * stored once, at the seq the first attempt gave it, with the same event id.
 */
@MessageServiceTest
class CrashRecoveryIntegrationTests {

	private static ChatTopics topics;

	private static ChatTopics.Recorder events;

	@Autowired
	private WebTestClient client;

	@Autowired
	private TokenMinter minter;

	@Autowired
	private MessageStore store;

	@Autowired
	private KafkaListenerEndpointRegistry listeners;

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

	/** A room the pipeline has never seen, as after a restart: nothing about it is cached. */
	@BeforeEach
	void aRoom() {
		rooms = new Rooms(topics, client, minter);
		roomId = rooms.create("alice", "bob");
	}

	@Test
	void aSendThatDiedAfterClaimingItsKeyIsStoredOnce() {
		storeCompletely(sent(1, "m-1"));
		PendingSend second = pendingSend(2, "m-2");
		claim(second.entry());

		rooms.command(second.command());
		rooms.send(roomId, "bob", "m-3", "after the crash");

		List<MessageEvent.MessageCreated> created = awaitCreated(2);
		assertThat(created).extracting(MessageEvent.MessageCreated::seq).containsExactly(2L, 3L);
		assertThat(created.get(0).clientMsgId()).isEqualTo("m-2");
		assertThat(clientMsgIds()).containsExactly("m-1", "m-2", "m-3");
	}

	@Test
	void aSendThatDiedAfterItsAppendIsFinishedAtTheSameSeq() {
		storeCompletely(sent(1, "m-1"), sent(2, "m-2"));
		PendingSend third = pendingSend(3, "m-3");
		claim(third.entry());
		store.append(roomId, List.of(third.entry())).block();

		rooms.command(third.command());
		rooms.send(roomId, "bob", "m-4", "after the crash");

		List<MessageEvent.MessageCreated> created = awaitCreated(2);
		assertThat(created.get(0)).isEqualTo(createdEvent(third.entry()));
		assertThat(created.get(1).seq()).isEqualTo(4);
		assertThat(clientMsgIds()).containsExactly("m-1", "m-2", "m-3", "m-4");
	}

	@Test
	void anAppendWithoutItsKeyIsFinishedAtTheSameSeq() {
		// Not a state sends leave (their keys come first), but recovery does not depend on it.
		storeCompletely(sent(1, "m-1"));
		PendingSend second = pendingSend(2, "m-2");
		store.append(roomId, List.of(second.entry())).block();

		rooms.command(second.command());

		assertThat(awaitCreated(1).getFirst()).isEqualTo(createdEvent(second.entry()));
		assertThat(clientMsgIds()).containsExactly("m-1", "m-2");
	}

	@Test
	void aLeftoverKeyWhoseSeqWentToAnotherMessageDoesNotHideASend() {
		PendingSend first = pendingSend(1, "m-1");
		claim(first.entry());
		// The attempt that claimed m-1 at seq 1 died; m-1 was not delivered again, another took seq 1.
		storeCompletely(sent(1, "other"));

		rooms.command(first.command());

		MessageEvent.MessageCreated created = awaitCreated(1).getFirst();
		assertThat(created.seq()).isEqualTo(2);
		assertThat(created.clientMsgId()).isEqualTo("m-1");
		assertThat(clientMsgIds()).containsExactly("other", "m-1");
	}

	@Test
	void aSendThatDiedBeforeItsOffsetWasCommittedIsAnsweredWithTheStoredMessage() {
		PendingSend first = pendingSend(1, "m-1");
		storeCompletely(first.entry());

		rooms.command(first.command());

		assertThat(awaitCreated(1).getFirst()).isEqualTo(createdEvent(first.entry()));
		assertThat(clientMsgIds()).containsExactly("m-1");
	}

	@Test
	void aBatchThatDiedAcrossABucketBoundaryIsFinishedAtTheSameSeqs() {
		List<Entry> complete = new ArrayList<>();
		for (int seq = 1; seq <= 61; seq++) {
			complete.add(sent(seq, "m-" + seq));
		}
		storeCompletely(complete.toArray(Entry[]::new));
		PendingSend at62 = pendingSend(62, "m-62");
		PendingSend at63 = pendingSend(63, "m-63");
		PendingSend at64 = pendingSend(64, "m-64");
		// The keys and the appends to buckets 0 and 1 landed; the counter did not move.
		claim(at62.entry(), at63.entry(), at64.entry());
		store.append(roomId, List.of(at62.entry(), at63.entry(), at64.entry())).block();
		assertThat(Bucket.numberOf(63)).isNotEqualTo(Bucket.numberOf(64));

		rooms.command(at62.command());
		rooms.command(at63.command());
		rooms.command(at64.command());
		rooms.send(roomId, "bob", "m-65", "after the crash");

		List<MessageEvent.MessageCreated> created = awaitCreated(4);
		assertThat(created).extracting(MessageEvent.MessageCreated::seq).containsExactly(62L, 63L, 64L, 65L);
		assertThat(created.subList(0, 3)).containsExactly(createdEvent(at62.entry()), createdEvent(at63.entry()),
				createdEvent(at64.entry()));
		assertThat(clientMsgIds()).hasSize(65).doesNotHaveDuplicates();
	}

	@Test
	void anEditThatDiedAfterChangingTheMessageIsFinished() {
		Entry.Created message = sent(1, "m-1");
		storeCompletely(message);
		MessageCommand.EditMessage edit = Rooms.edit(roomId, "alice", roomId + "-1", "edited before the crash");
		Instant editedAt = now();
		Bucket bucket = store.bucket(roomId, 0).block();
		store.change(bucket, new Entry.Created(1, message.messageId(), message.senderId(), message.clientMsgId(),
				edit.body(), message.sentAt(), editedAt, null, null, message.eventId(),
				edit.commandId()))
			.block();
		// Between the crash and the retry, alice left: the edit was authorized before, it stands.
		rooms.publish(new dev.chat.common.events.RoomEvent.MemberLeft(UUID.randomUUID(), 1, Instant.now(), roomId,
				Rooms.id("alice")));
		Awaitility.await("alice left")
			.atMost(Rooms.WAIT)
			.untilAsserted(() -> client.get()
				.uri("/api/rooms/{roomId}/messages", roomId)
				.headers(h -> h.setBearerAuth(rooms.token("alice")))
				.exchange()
				.expectStatus()
				.isForbidden());

		rooms.command(edit);

		MessageEvent.MessageEdited edited = Awaitility.await()
			.atMost(Rooms.WAIT)
			.until(() -> events.events(roomId, MessageEvent.MessageEdited.class), list -> !list.isEmpty())
			.getFirst();
		assertThat(edited.seq()).isEqualTo(2);
		assertThat(edited.editedAt()).isEqualTo(editedAt);
		assertThat(edited.body()).isEqualTo("edited before the crash");
		List<JsonNode> replay = replay();
		assertThat(replay).hasSize(2);
		assertThat(replay.get(0).get("body").asString()).isEqualTo("edited before the crash");
	}

	@Test
	void anEditThatDiedAfterItsEntryIsAnsweredWithTheSameEvent() {
		Entry.Created message = sent(1, "m-1");
		storeCompletely(message);
		MessageCommand.EditMessage edit = Rooms.edit(roomId, "alice", roomId + "-1", "v2");
		Instant editedAt = now();
		Entry.Edited entry = new Entry.Edited(2, message.messageId(), Rooms.id("alice"), editedAt, UUID.randomUUID(),
				edit.commandId());
		store.change(store.bucket(roomId, 0).block(), new Entry.Created(1, message.messageId(), message.senderId(),
				message.clientMsgId(), "v2", message.sentAt(), editedAt, null, null, message.eventId(), edit.commandId()))
			.then(store.append(roomId, List.of(entry)))
			.block();

		rooms.command(edit);
		rooms.send(roomId, "alice", "m-3", "after the crash");

		MessageEvent.MessageEdited edited = Awaitility.await()
			.atMost(Rooms.WAIT)
			.until(() -> events.events(roomId, MessageEvent.MessageEdited.class), list -> !list.isEmpty())
			.getFirst();
		assertThat(edited.eventId()).isEqualTo(entry.eventId());
		assertThat(edited.seq()).isEqualTo(2);
		assertThat(awaitCreated(1).getFirst().seq()).isEqualTo(3);
		assertThat(replay()).extracting(e -> e.get("seq").asLong()).containsExactly(1L, 2L, 3L);
	}

	@Test
	void aPartitionReassignedAfterAnotherWriterLeftPendingEntriesIsRecovered() {
		rooms.send(roomId, "alice", "m-1", "cached by the pipeline");
		awaitCreated(1);
		// Another instance owned the partition for a while and died after an append.
		PendingSend second = pendingSend(2, "m-2");
		listeners.stop();
		claim(second.entry());
		store.append(roomId, List.of(second.entry())).block();
		listeners.start();

		rooms.command(second.command());

		List<MessageEvent.MessageCreated> created = awaitCreated(2);
		assertThat(created.get(1)).isEqualTo(createdEvent(second.entry()));
		assertThat(clientMsgIds()).containsExactly("m-1", "m-2");
	}

	private record PendingSend(MessageCommand.SendMessage command, Entry.Created entry) {
	}

	/** A send and the entry its first attempt stored for it. */
	private PendingSend pendingSend(long seq, String clientMsgId) {
		MessageCommand.SendMessage send = MessageCommand.SendMessage.of(roomId, Rooms.id("alice"), clientMsgId,
				"message " + seq);
		return new PendingSend(send, new Entry.Created(seq, new MessageId(roomId, seq), send.userId(), clientMsgId,
				send.body(), now(), null, null, null, UUID.randomUUID(), null));
	}

	private Entry.Created sent(long seq, String clientMsgId) {
		return pendingSend(seq, clientMsgId).entry();
	}

	/** All writes of stored entries, as an attempt that completed them does. */
	private void storeCompletely(Entry... entries) {
		List<Entry> list = List.of(entries);
		store.writeKeys(roomId, list).then(store.append(roomId, list)).then(store.advance(roomId, list.getLast().seq())).block();
	}

	/** The first write of sends: their keys, claiming their seqs. */
	private void claim(Entry.Created... entries) {
		assertThat(store.claim(java.util.Arrays.stream(entries)
			.map(entry -> new Claim(Claim.keyOf(roomId, entry.senderId(), entry.clientMsgId()), entry.seq()))
			.toList())
			.block()).isEmpty();
	}

	private MessageEvent.MessageCreated createdEvent(Entry.Created entry) {
		return new MessageEvent.MessageCreated(entry.eventId(), 1, roomId, entry.seq(), entry.messageId().toString(),
				entry.senderId(), entry.clientMsgId(), entry.body(), entry.sentAt());
	}

	private List<MessageEvent.MessageCreated> awaitCreated(int count) {
		return Awaitility.await(count + " message.created in " + roomId)
			.atMost(Rooms.WAIT)
			.until(() -> events.events(roomId, MessageEvent.MessageCreated.class), list -> list.size() >= count);
	}

	private List<String> clientMsgIds() {
		return replay().stream().map(e -> e.get("clientMsgId").asString()).toList();
	}

	private List<JsonNode> replay() {
		JsonNode page = client.get()
			.uri("/api/rooms/{roomId}/events?afterSeq=0&limit=500", roomId)
			.headers(h -> h.setBearerAuth(rooms.token("bob")))
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

	private static Instant now() {
		return Instant.now().truncatedTo(ChronoUnit.MILLIS);
	}

}
