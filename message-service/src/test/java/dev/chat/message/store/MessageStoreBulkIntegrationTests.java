package dev.chat.message.store;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.annotation.Autowired;

import dev.chat.message.MessageServiceTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Batches touching more rooms than FerretDB can update in one command (100 existing documents
 * wedge the database for good; see {@link dev.chat.common.mongo.BulkWrites}): counters moved and
 * buckets appended to for 300 rooms at once, twice, so the second time every statement matches an
 * existing document.
 */
@MessageServiceTest
class MessageStoreBulkIntegrationTests {

	private static final int ROOMS = 300;

	private static final Duration WAIT = Duration.ofSeconds(60);

	@Autowired
	private MessageStore store;

	@Test
	void countersOfHundredsOfRoomsAreMovedTogetherTwice() {
		List<String> rooms = rooms();

		StepVerifier.create(store.advance(counters(rooms, 1))).expectComplete().verify(WAIT);
		StepVerifier.create(store.advance(counters(rooms, 2))).expectComplete().verify(WAIT);

		assertThat(Flux.fromIterable(rooms).concatMap(store::lastSeq).collectList().block(WAIT))
			.hasSize(ROOMS)
			.containsOnly(2L);
	}

	@Test
	void bucketsOfHundredsOfRoomsAreAppendedToTogetherTwice() {
		List<String> rooms = rooms();

		StepVerifier.create(store.append(entries(rooms, 1))).expectComplete().verify(WAIT);
		StepVerifier.create(store.append(entries(rooms, 2))).expectComplete().verify(WAIT);

		assertThat(Flux.fromIterable(rooms).concatMap(room -> store.bucket(room, 0)).collectList().block(WAIT))
			.allSatisfy(bucket -> assertThat(bucket.entries()).extracting(Entry::seq).containsExactly(1L, 2L));
	}

	private static List<String> rooms() {
		return IntStream.range(0, ROOMS).mapToObj(i -> "room-" + UUID.randomUUID()).toList();
	}

	private static Map<String, Long> counters(List<String> rooms, long lastSeq) {
		Map<String, Long> counters = new LinkedHashMap<>();
		rooms.forEach(room -> counters.put(room, lastSeq));
		return counters;
	}

	private static Map<String, List<Entry>> entries(List<String> rooms, long seq) {
		Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		Map<String, List<Entry>> entries = new LinkedHashMap<>();
		rooms.forEach(room -> entries.put(room, List.of(new Entry.Created(seq, new MessageId(room, seq), "user-1",
				"client-" + seq, "body " + seq, now, null, null, null, UUID.randomUUID(), null))));
		return entries;
	}

}
