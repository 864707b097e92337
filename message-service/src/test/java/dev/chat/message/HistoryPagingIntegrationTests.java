package dev.chat.message;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.LongStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.chat.common.events.RoomEvent;
import dev.chat.message.membership.Memberships;
import dev.chat.message.store.Entry;
import dev.chat.message.store.MessageId;
import dev.chat.message.store.MessageStore;
import dev.chat.test.tokens.TokenMinter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * History pages read side by side with the room's counter (from {@code beforeSeq}, or from the
 * last seq seen) must come out as if read after it: rooms are written straight into the store, in
 * the states a page can meet.
 */
@MessageServiceTest
class HistoryPagingIntegrationTests {

	@Autowired
	private WebTestClient client;

	@Autowired
	private TokenMinter minter;

	@Autowired
	private MessageStore store;

	@Autowired
	private Memberships memberships;

	private String roomId;

	@BeforeEach
	void aRoom() {
		roomId = "room-" + UUID.randomUUID();
		memberships.apply(new RoomEvent.RoomCreated(UUID.randomUUID(), 1, Instant.now(), roomId, "r", "public",
				Rooms.id("alice")))
			.block();
	}

	@Test
	void theFirstPageShowsMessagesStoredSinceTheLastReadInTheSameBucket() {
		stored(1, 10);
		assertThat(seqs(page(""))).containsExactlyElementsOf(descending(10, 1));

		stored(11, 20);

		JsonNode page = page("");
		assertThat(page.get("lastSeq").asLong()).isEqualTo(20);
		assertThat(seqs(page)).containsExactlyElementsOf(descending(20, 1));
	}

	@Test
	void theFirstPageFollowsTheRoomIntoANewBucket() {
		stored(1, 60);
		page("");

		stored(61, 130);

		JsonNode page = page("?limit=5");
		assertThat(page.get("lastSeq").asLong()).isEqualTo(130);
		assertThat(seqs(page)).containsExactly(130L, 129L, 128L, 127L, 126L);
	}

	@Test
	void entriesAboveTheCounterAreNotShown() {
		stored(1, 10);
		page("");
		store.append(roomId, entries(11, 12)).block();

		JsonNode page = page("");
		assertThat(page.get("lastSeq").asLong()).isEqualTo(10);
		assertThat(seqs(page)).containsExactlyElementsOf(descending(10, 1));
		assertThat(seqs(page("?beforeSeq=13"))).containsExactlyElementsOf(descending(10, 1));
	}

	@Test
	void aPageBeforeASeqBeyondTheEndStartsAtTheEnd() {
		stored(1, 70);

		JsonNode page = page("?beforeSeq=1000&limit=3");
		assertThat(seqs(page)).containsExactly(70L, 69L, 68L);
		assertThat(page.get("hasMore").asBoolean()).isTrue();
	}

	@Test
	void aPageWithManyEditsAmongItsEntriesReadsOnUntilItIsFull() {
		stored(1, 100);
		List<Entry> edits = new ArrayList<>();
		for (long seq = 101; seq <= 190; seq++) {
			edits.add(new Entry.Edited(seq, new MessageId(roomId, 5), Rooms.id("alice"), now(), UUID.randomUUID(),
					UUID.randomUUID()));
		}
		store.append(roomId, edits).then(store.writeKeys(roomId, edits)).then(store.advance(roomId, 190)).block();

		JsonNode first = page("?limit=20");
		assertThat(seqs(first)).containsExactlyElementsOf(descending(100, 81));
		assertThat(seqs(page("?beforeSeq=191&limit=20"))).containsExactlyElementsOf(descending(100, 81));
		JsonNode last = page("?beforeSeq=21&limit=20");
		assertThat(seqs(last)).containsExactlyElementsOf(descending(20, 1));
		assertThat(last.get("hasMore").asBoolean()).isFalse();
	}

	private void stored(long from, long to) {
		List<Entry> entries = entries(from, to);
		store.writeKeys(roomId, entries).then(store.append(roomId, entries)).then(store.advance(roomId, to)).block();
	}

	private List<Entry> entries(long from, long to) {
		List<Entry> entries = new ArrayList<>();
		for (long seq = from; seq <= to; seq++) {
			entries.add(new Entry.Created(seq, new MessageId(roomId, seq), Rooms.id("alice"), "m-" + seq, "message " + seq,
					now(), null, null, null, UUID.randomUUID(), null));
		}
		return entries;
	}

	private JsonNode page(String query) {
		return client.get()
			.uri("/api/rooms/" + roomId + "/messages" + query)
			.headers(h -> h.setBearerAuth(minter.token("alice", "user")))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
	}

	private static List<Long> seqs(JsonNode page) {
		List<Long> seqs = new ArrayList<>();
		page.get("messages").forEach(message -> seqs.add(message.get("seq").asLong()));
		return seqs;
	}

	private static List<Long> descending(long from, long to) {
		return LongStream.rangeClosed(to, from).boxed().sorted(java.util.Comparator.reverseOrder()).toList();
	}

	private static Instant now() {
		return Instant.now().truncatedTo(ChronoUnit.MILLIS);
	}

}
