package dev.chat.message.store;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.bson.Document;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BucketTests {

	@Test
	void eachSeqHasOneComputedBucket() {
		assertThat(Bucket.numberOf(1)).isZero();
		assertThat(Bucket.numberOf(63)).isZero();
		assertThat(Bucket.numberOf(64)).isEqualTo(1);
		assertThat(Bucket.numberOf(1_000_000)).isEqualTo(15_625);
		assertThat(Bucket.firstSeq(0)).isEqualTo(1);
		assertThat(Bucket.firstSeq(1)).isEqualTo(64);
		assertThat(Bucket.lastSeq(1)).isEqualTo(127);
		assertThat(Bucket.id("room", 3)).isEqualTo("room:3");
	}

	@Test
	void entriesSurviveTheRoundTripThroughBson() {
		Entry.Created created = new Entry.Created(64, new MessageId("r", 64), "u", "c", "body",
				Instant.parse("2026-01-01T00:00:00.123Z"), null, null, null, UUID.randomUUID(),
				null);
		Entry.Edited edited = new Entry.Edited(65, new MessageId("r", 64), "u", Instant.parse("2026-01-01T00:00:01Z"),
				UUID.randomUUID(), UUID.randomUUID());
		Entry.Deleted deleted = new Entry.Deleted(66, new MessageId("r", 64), "o", Instant.parse("2026-01-01T00:00:02Z"),
				UUID.randomUUID(), UUID.randomUUID());

		Bucket bucket = Bucket.decode("r", 1, new Document("entries",
				List.of(EntryCodec.encode(created), EntryCodec.encode(edited), EntryCodec.encode(deleted))));

		assertThat(bucket.entries()).containsExactly(created, edited, deleted);
		assertThat(bucket.entry(65)).contains(edited);
		assertThat(bucket.position(66)).isEqualTo(2);
		assertThat(bucket.entry(67)).isEmpty();
	}

	@Test
	void aSeqStoredTwiceIsReadAsItsFirstCopy() {
		Entry.Created first = new Entry.Created(1, new MessageId("r", 1), "u", "c", "first", Instant.EPOCH, null, null,
				null, UUID.randomUUID(), null);
		Entry.Created stray = new Entry.Created(1, new MessageId("r", 1), "u", "c", "stray", Instant.EPOCH, null, null,
				null, UUID.randomUUID(), null);
		Entry.Created second = new Entry.Created(2, new MessageId("r", 2), "u", "d", "second", Instant.EPOCH, null,
				null, null, UUID.randomUUID(), null);

		Bucket bucket = Bucket.decode("r", 0, new Document("entries",
				List.of(EntryCodec.encode(first), EntryCodec.encode(stray), EntryCodec.encode(second))));

		assertThat(bucket.entries()).containsExactly(first, second);
		assertThat(bucket.position(2)).isEqualTo(2);
	}

}
