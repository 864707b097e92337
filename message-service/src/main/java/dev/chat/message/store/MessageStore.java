package dev.chat.message.store;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.LongStream;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.mongodb.ReactiveMongoDatabaseFactory;
import org.springframework.stereotype.Component;

import dev.chat.common.mongo.BulkWrites;

/**
 * Rooms' sequences on the Mongo wire. Every read and every write names exactly one document by
 * {@code _id} (the only filter FerretDB answers from an index; see ARCHITECTURE.md), so nothing
 * here scans, however large a room or the database grows. Four collections:
 * <ul>
 * <li>{@code buckets}: {@code _id = "{roomId}:{seq / 64}"}, the entries of that seq range in
 * seq order ({@link Bucket});
 * <li>{@code sequences}: {@code _id = roomId}, {@code lastSeq}, the room's last committed seq;
 * <li>{@code send_keys}: {@code _id = "{roomId}:{senderId}:{clientMsgId}"}, {@code seq}: a send
 * already stored, and where;
 * <li>{@code command_keys}: {@code _id = "{roomId}:{commandId}"}, {@code seq}: an edit or delete
 * already stored, and where.
 * </ul>
 *
 * <h2>Crash safety without transactions</h2> Only a single-document write is atomic here, so a
 * stored entry takes several writes, always in this order.
 * <p>
 * A run of sends (of one or many rooms):
 * <ol>
 * <li>each send's key is inserted with the seq it is about to get ({@link #claim}); a key that
 * exists already is a duplicate or a leftover, told apart (by reading it and its entry) before
 * anything is appended;
 * <li>the entries are appended to their buckets ({@link #append}, lower bucket first);
 * <li>the room's counter is moved to the last new seq ({@link #advance}) and, side by side, the
 * events are published (by the pipeline); only when both are done are the inbound offsets
 * committed.
 * </ol>
 * A key is a <em>claim</em>: it proves the send stored only if the entry at its seq is that send
 * (same sender, same clientMsgId). A claim without its entry is left by an attempt that stopped
 * between steps 1 and 2; nothing ever showed that seq, so the send is simply given the next free
 * seq and its claim rewritten.
 * <p>
 * An edit or delete (rare, one at a time): the message's {@code created} entry is changed in
 * place, recording the command as its {@code lastChange} ({@link #change}); its own entry is
 * appended; its key is inserted ({@link #writeKeys}); the counter moves with the batch's.
 * <p>
 * Invariants: the stored entries of a room are exactly seqs 1..M without gaps, and every entry at
 * or below the counter has its key. Entries above the counter are <em>pending</em>: an attempt
 * stopped after appending and before counting. Before a room's commands are processed,
 * {@link #recover} finishes them (writes their keys, idempotently, and moves the counter),
 * restoring "counter = M, every entry keyed". Since the offset of such an attempt was not
 * committed, its command is delivered again; it then finds its key, and its entry behind it, and
 * is answered with the stored entry: the same seq, the same event id, one stored copy. An attempt
 * that stopped before appending left no entry and moved no counter, so nothing ever showed its
 * seq (readers stop at the counter); the command is processed as if for the first time. An edit
 * or delete that stopped after changing the message finds its own command in the message's
 * {@code lastChange}, skips the checks it already passed, and finishes.
 *
 * <p>
 * This relies on one writer per room at a time, which Kafka gives: a room's commands share a
 * partition and a partition has one consumer in the group. An instance that lost its partition
 * while paused is kept from writing by the pipeline's fence ({@code PartitionFence}); should a
 * write of it still land, a room's counter only ever moves forward ({@code $max}), the first
 * entry at a seq is the one readers see, and each key names the entry it belongs to.
 */
@Component
public class MessageStore {

	private static final Logger log = LoggerFactory.getLogger(MessageStore.class);

	private static final String ID = "_id";

	private static final String LAST_SEQ = "lastSeq";

	private static final String SEQ = "seq";

	private static final int DUPLICATE_KEY = 11000;

	private final MongoCollection<Document> buckets;

	private final MongoCollection<Document> sequences;

	private final MongoCollection<Document> sendKeys;

	private final MongoCollection<Document> commandKeys;

	public MessageStore(ReactiveMongoDatabaseFactory factory) {
		// No I/O: the factory hands out the database object of its connection string.
		MongoDatabase database = factory.getMongoDatabase().block();
		this.buckets = database.getCollection("buckets");
		this.sequences = database.getCollection("sequences");
		this.sendKeys = database.getCollection("send_keys");
		this.commandKeys = database.getCollection("command_keys");
	}

	/** The room's last committed seq; 0 for a room without messages. */
	public Mono<Long> lastSeq(String roomId) {
		return Mono.from(sequences.find(byId(roomId)).first())
			.map(doc -> ((Number) doc.get(LAST_SEQ)).longValue())
			.defaultIfEmpty(0L);
	}

	/** One bucket; an empty one if nothing was stored in its range. */
	public Mono<Bucket> bucket(String roomId, long number) {
		return Mono.from(buckets.find(byId(Bucket.id(roomId, number))).first())
			.map(doc -> Bucket.decode(roomId, number, doc))
			.defaultIfEmpty(Bucket.empty(roomId, number));
	}

	/**
	 * The entries with a seq in {@code [from, to]}, ascending or descending, read bucket by
	 * bucket with up to {@code ahead} buckets requested at once. Cancelling (a {@code take})
	 * stops the reading, so a caller may pass a wide range and take what it needs.
	 */
	public Flux<Entry> entries(String roomId, long from, long to, boolean descending, int ahead) {
		if (from > to) {
			return Flux.empty();
		}
		long first = Bucket.numberOf(from);
		long last = Bucket.numberOf(to);
		Flux<Long> numbers = Flux.fromStream(() -> LongStream.rangeClosed(first, last)
			.map(n -> descending ? last - (n - first) : n)
			.boxed());
		return numbers.flatMapSequential(number -> bucket(roomId, number), Math.max(1, ahead), 1)
			.concatMapIterable(bucket -> {
				List<Entry> inRange = bucket.entries()
					.stream()
					.filter(entry -> entry.seq() >= from && entry.seq() <= to)
					.toList();
				return descending ? inRange.reversed() : inRange;
			});
	}

	/** The seq at which an edit or delete command was stored, if it was. */
	public Mono<Long> commandSeq(String roomId, UUID commandId) {
		return seqOf(commandKeys, commandKey(roomId, commandId));
	}

	/**
	 * Step 1 of sends: inserts their keys, all in one write. Answers the ids of the keys that
	 * existed already (duplicates, or claims left by an interrupted attempt); the others are now
	 * claimed at the given seqs.
	 */
	public Mono<Set<String>> claim(List<Claim> claims) {
		if (claims.isEmpty()) {
			return Mono.just(Set.of());
		}
		List<Document> documents = claims.stream()
			.map(claim -> new Document(ID, claim.id()).append(SEQ, claim.seq()))
			.toList();
		return Mono.from(sendKeys.insertMany(documents, new InsertManyOptions().ordered(false)))
			.<Set<String>>thenReturn(Set.of())
			.onErrorResume(MongoBulkWriteException.class, ex -> {
				if (ex.getWriteErrors().stream().anyMatch(error -> error.getCode() != DUPLICATE_KEY)) {
					return Mono.error(ex);
				}
				Set<String> existing = new HashSet<>();
				ex.getWriteErrors().forEach(error -> existing.add(claims.get(error.getIndex()).id()));
				return Mono.just(existing);
			});
	}

	/** The seq a key claims, if the key exists. */
	public Mono<Long> claimedSeq(String keyId) {
		return seqOf(sendKeys, keyId);
	}

	/** Moves claims to other seqs: a leftover claim, or one whose send was renumbered. */
	public Mono<Void> reclaim(List<Claim> claims) {
		if (claims.isEmpty()) {
			return Mono.empty();
		}
		List<WriteModel<Document>> writes = claims.stream()
			.<WriteModel<Document>>map(claim -> new ReplaceOneModel<>(byId(claim.id()),
					new Document(ID, claim.id()).append(SEQ, claim.seq()), new ReplaceOptions().upsert(true)))
			.toList();
		return BulkWrites.write(sendKeys, writes, false);
	}

	/**
	 * Step 1 of an edit or delete: replaces the message's {@code created} entry, at its position
	 * in {@code bucket}, with its new state.
	 */
	public Mono<Void> change(Bucket bucket, Entry.Created changed) {
		int position = bucket.position(changed.seq());
		if (position < 0) {
			return Mono.error(new IllegalStateException("no entry " + changed.seq() + " in " + bucket.number()));
		}
		return Mono.from(buckets.updateOne(byId(Bucket.id(bucket.roomId(), bucket.number())),
				Updates.set(EntryCodec.ENTRIES + "." + position, EntryCodec.encode(changed))))
			.then();
	}

	/** Appends entries of one room; see {@link #append(Map)}. */
	public Mono<Void> append(String roomId, List<Entry> entries) {
		return append(Map.of(roomId, entries));
	}

	/**
	 * Appends entries (per room, consecutive seqs following the room's last) to their buckets:
	 * one update per bucket, in ordered bulk writes ({@link BulkWrites}), a room's lower bucket
	 * first, so that an interrupted append leaves a prefix of a room's entries stored, never a gap.
	 */
	public Mono<Void> append(Map<String, List<Entry>> entriesByRoom) {
		List<WriteModel<Document>> writes = new ArrayList<>();
		entriesByRoom.forEach((roomId, entries) -> {
			Map<Long, List<String>> byBucket = new TreeMap<>();
			for (Entry entry : entries) {
				byBucket.computeIfAbsent(Bucket.numberOf(entry.seq()), n -> new ArrayList<>())
					.add(EntryCodec.encode(entry));
			}
			byBucket.forEach((number, texts) -> writes.add(new UpdateOneModel<>(byId(Bucket.id(roomId, number)),
					Updates.pushEach(EntryCodec.ENTRIES, texts), new UpdateOptions().upsert(true))));
		});
		return BulkWrites.write(buckets, writes, true);
	}

	/**
	 * The idempotency keys of stored entries; keys already there are left as they are. For an
	 * edit or delete, the step after its append; for pending entries, part of {@link #recover}.
	 */
	public Mono<Void> writeKeys(String roomId, List<Entry> entries) {
		List<Document> sends = new ArrayList<>();
		List<Document> commands = new ArrayList<>();
		for (Entry entry : entries) {
			switch (entry) {
				case Entry.Created c -> sends
					.add(new Document(ID, sendKey(roomId, c.senderId(), c.clientMsgId())).append(SEQ, c.seq()));
				case Entry.Edited e -> commands.add(new Document(ID, commandKey(roomId, e.commandId())).append(SEQ, e.seq()));
				case Entry.Deleted d -> commands
					.add(new Document(ID, commandKey(roomId, d.commandId())).append(SEQ, d.seq()));
			}
		}
		return insertAll(sendKeys, sends).then(insertAll(commandKeys, commands));
	}

	/** Moves one room's counter to {@code lastSeq}. */
	public Mono<Void> advance(String roomId, long lastSeq) {
		return advance(Map.of(roomId, lastSeq));
	}

	/**
	 * Moves rooms' counters forward, in bulk writes ({@link BulkWrites}); a counter already
	 * further is left as it is ({@code $max}), so a late writer cannot move it back (on FerretDB,
	 * where an update operator is a read-modify-write, one writing at the same moment still can).
	 */
	public Mono<Void> advance(Map<String, Long> lastSeqs) {
		if (lastSeqs.isEmpty()) {
			return Mono.empty();
		}
		List<WriteModel<Document>> writes = lastSeqs.entrySet()
			.stream()
			.<WriteModel<Document>>map(room -> new UpdateOneModel<>(byId(room.getKey()),
					Updates.max(LAST_SEQ, room.getValue()), new UpdateOptions().upsert(true)))
			.toList();
		return BulkWrites.write(sequences, writes, false);
	}

	/**
	 * The room's last seq, after finishing the entries an interrupted attempt appended but did
	 * not key and count (see the class comment). Reads the counter and the bucket after it: two
	 * reads by {@code _id} when there is nothing to finish.
	 */
	public Mono<Long> recover(String roomId) {
		return lastSeq(roomId).flatMap(counted -> finishPending(roomId, counted));
	}

	private Mono<Long> finishPending(String roomId, long counted) {
		return bucket(roomId, Bucket.numberOf(counted + 1)).flatMap(bucket -> {
			List<Entry> pending = bucket.entries().stream().filter(entry -> entry.seq() > counted).toList();
			if (pending.isEmpty()) {
				return Mono.just(counted);
			}
			long last = pending.getLast().seq();
			if (pending.getFirst().seq() != counted + 1 || last - counted != pending.size()) {
				log.atError()
					.addKeyValue("roomId", roomId)
					.addKeyValue("lastSeq", counted)
					.log("pending entries do not follow the counter without a gap; finishing them anyway");
			}
			log.atWarn()
				.addKeyValue("roomId", roomId)
				.addKeyValue("fromSeq", counted + 1)
				.addKeyValue("toSeq", last)
				.log("finishing entries an interrupted attempt stored but did not count");
			// A full bucket may be followed by pending entries in the next one.
			return writeKeys(roomId, pending).then(advance(roomId, last)).then(Mono.defer(() -> finishPending(roomId, last)));
		});
	}

	private Mono<Long> seqOf(MongoCollection<Document> keys, String id) {
		return Mono.from(keys.find(byId(id)).first()).map(doc -> ((Number) doc.get(SEQ)).longValue());
	}

	private static Mono<Void> insertAll(MongoCollection<Document> keys, List<Document> documents) {
		if (documents.isEmpty()) {
			return Mono.empty();
		}
		return Mono.from(keys.insertMany(documents, new InsertManyOptions().ordered(false)))
			.then()
			.onErrorResume(MongoBulkWriteException.class,
					ex -> ex.getWriteErrors().stream().allMatch(error -> error.getCode() == DUPLICATE_KEY) ? Mono.empty()
							: Mono.error(ex));
	}

	static String sendKey(String roomId, String senderId, String clientMsgId) {
		return roomId + ":" + senderId + ":" + clientMsgId;
	}

	static String commandKey(String roomId, UUID commandId) {
		return roomId + ":" + commandId;
	}

	private static Bson byId(String id) {
		return Filters.eq(ID, id);
	}

}
