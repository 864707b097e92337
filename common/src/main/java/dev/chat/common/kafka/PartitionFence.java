package dev.chat.common.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.mongodb.MongoWriteException;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.env.Environment;

import dev.chat.common.health.KafkaListenersHealthAutoConfiguration;

/**
 * Keeps an instance that lost a partition of a topic from writing for it. Kafka gives a partition
 * one consumer, but an instance that was paused (a long GC, a stopped process, a machine cut off)
 * is dropped from the group after the session timeout while it may still hold a polled batch:
 * when it resumes, it would write what the partition's new owner is writing too (message-service:
 * commands stored at seqs of its own; presence-service: users' states from before the new owner's).
 *
 * <p>
 * Every take of a partition is a record in {@value #COLLECTION} of the service's database:
 * {@code _id = "<topic>:<partition>:<epoch>"} with its {@code owner}, inserted by the first
 * {@link #fenced} call after Kafka assigns the partition, at the next free epoch. An insert with a
 * unique {@code _id} is exact even on FerretDB (where an update operator is an unisolated
 * read-modify-write), so each epoch is taken exactly once, in order. Before each write step and
 * before publishing, the pipeline looks up the record of the epoch after its own
 * ({@code <partition>:<epoch + 1>}, by id): if it exists, another instance took the partition,
 * and the caller writes nothing more for it (its records stay uncommitted for the new owner). A fenced partition is not taken back until Kafka assigns it again. A hint,
 * {@code _id = "<topic>:<partition>"} with the latest {@code epoch}, saves a taker
 * from walking the chain; a hint behind the truth costs one failed insert per epoch it lags.
 *
 * <p>
 * A take that replaces another instance's ownership waits {@code grace} before it answers, so
 * that a write the previous owner had already checked and sent lands first (message-service then
 * recovers it like any interrupted attempt). What stays open is a previous owner paused for longer
 * than that between its check and its write; each service says what its writes do about it.
 * Records are never deleted
 * (a zombie's check needs the one after its epoch): one small document per partition and
 * rebalance.
 */
public final class PartitionFence {

	public static final String COLLECTION = "partition_owners";

	private static final Logger log = LoggerFactory.getLogger(PartitionFence.class);

	private static final String ID = "_id";

	private static final String EPOCH = "epoch";

	private static final String OWNER = "owner";

	private static final int DUPLICATE_KEY = 11000;

	/** Epochs a take walks past a stale hint before it gives up (and the batch is retried). */
	private static final int MAX_WALK = 1_000;

	/** In {@link #epochs}: the partition was taken by another instance since this one took it. */
	private static final long FENCED = -1;

	/** Per partition assigned to this instance and taken: the epoch it took; absent until taken. */
	private final Map<Integer, Long> epochs = new ConcurrentHashMap<>();

	private final MongoCollection<Document> owners;

	private final String topic;

	private final String owner;

	private final Duration grace;

	/**
	 * @param owners the {@value #COLLECTION} collection of the service's database
	 * @param topic the topic whose partitions are fenced
	 * @param owner this process's name in the records ({@link #ownerName})
	 * @param grace how long a take that replaces another instance waits for its last writes
	 */
	public PartitionFence(MongoCollection<Document> owners, String topic, String owner, Duration grace) {
		this.owners = owners;
		this.topic = topic;
		this.owner = owner;
		this.grace = grace;
	}

	/**
	 * A name for this process: its {@code chat.instance-id} (kept across restarts) with a random
	 * suffix that tells its incarnations apart.
	 */
	public static String ownerName(Environment environment) {
		return environment.getProperty(KafkaListenersHealthAutoConfiguration.INSTANCE_ID,
				environment.getProperty("spring.application.name", "service") + "-1") + ":"
				+ UUID.randomUUID().toString().substring(0, 8);
	}

	/** This incarnation's name in {@value #COLLECTION}. */
	public String owner() {
		return owner;
	}

	/** Kafka assigned the partitions (again): the next {@link #fenced} call takes them. */
	public void assigned(Collection<Integer> partitions) {
		partitions.forEach(epochs::remove);
	}

	/** Kafka took the partitions away. */
	public void revoked(Collection<Integer> partitions) {
		partitions.forEach(epochs::remove);
	}

	/**
	 * Takes the partitions not taken since their assignment, then answers those of
	 * {@code partitions} that another instance has taken since: nothing more may be written for
	 * them. Fails when the store cannot tell.
	 */
	public Mono<Set<Integer>> fenced(Set<Integer> partitions) {
		List<Integer> untaken = new ArrayList<>();
		List<Integer> held = new ArrayList<>();
		Set<Integer> fenced = new HashSet<>();
		for (int partition : partitions) {
			Long epoch = epochs.get(partition);
			if (epoch == null) {
				untaken.add(partition);
			}
			else if (epoch == FENCED) {
				fenced.add(partition);
			}
			else {
				held.add(partition);
			}
		}
		return take(untaken).then(check(held)).map(moved -> {
			fenced.addAll(moved);
			return fenced;
		});
	}

	private Mono<Void> take(List<Integer> partitions) {
		if (partitions.isEmpty()) {
			return Mono.empty();
		}
		return Flux.fromIterable(partitions)
			.flatMap(partition -> Mono.from(owners.find(byId(hintId(partition))).first())
				.map(hint -> ((Number) hint.get(EPOCH)).longValue())
				.defaultIfEmpty(0L)
				.flatMap(latest -> takeAfter(partition, latest, 0)))
			.collectList()
			.flatMap(replaced -> replaced.contains(Boolean.TRUE) ? Mono.delay(grace).then() : Mono.<Void>empty());
	}

	/**
	 * Inserts the record of the epoch after {@code latest}, or of the next free one; answers
	 * whether it replaced another instance.
	 */
	private Mono<Boolean> takeAfter(int partition, long latest, int walked) {
		long epoch = latest + 1;
		return Mono.from(owners.insertOne(new Document(ID, recordId(partition, epoch)).append(OWNER, owner)))
			.thenReturn(true)
			.onErrorResume(MongoWriteException.class,
					failure -> failure.getError().getCode() == DUPLICATE_KEY && walked < MAX_WALK ? Mono.just(false)
							: Mono.error(failure))
			.flatMap(inserted -> inserted ? taken(partition, epoch) : takeAfter(partition, epoch, walked + 1));
	}

	/** Remembers the epoch taken, moves the hint, and answers whether another instance held it. */
	private Mono<Boolean> taken(int partition, long epoch) {
		epochs.put(partition, epoch);
		// Only a hint: a lost or failed update costs the next taker one more insert.
		Mono<Void> hint = Mono
			.from(owners.updateOne(byId(hintId(partition)), Updates.max(EPOCH, epoch), new UpdateOptions().upsert(true)))
			.then()
			.onErrorResume(failure -> Mono.empty());
		return hint.then(Mono.from(owners.find(byId(recordId(partition, epoch - 1))).first())
			.map(previous -> previous.getString(OWNER))
			.defaultIfEmpty(""))
			.map(previous -> {
				log.atInfo()
					.addKeyValue("topic", topic)
					.addKeyValue("partition", partition)
					.addKeyValue("epoch", epoch)
					.addKeyValue("owner", owner)
					.addKeyValue("previousOwner", previous.isEmpty() ? null : previous)
					.log("partition taken");
				return !previous.isEmpty() && !previous.equals(owner);
			});
	}

	/** The held partitions that another instance took after this one (or that are no longer held). */
	private Mono<Set<Integer>> check(List<Integer> partitions) {
		if (partitions.isEmpty()) {
			return Mono.just(Set.of());
		}
		return Flux.fromIterable(partitions).flatMap(partition -> {
			Long mine = epochs.get(partition);
			if (mine == null || mine == FENCED) {
				return Mono.just(partition);
			}
			return Mono.from(owners.find(byId(recordId(partition, mine + 1))).first()).map(next -> {
				if (epochs.replace(partition, mine, FENCED)) {
					log.atWarn()
						.addKeyValue("partition", partition)
						.addKeyValue("epoch", mine)
						.addKeyValue("owner", owner)
						.addKeyValue("nextOwner", next.getString(OWNER))
						.log("partition fenced: another instance took it; this one writes nothing more for it");
				}
				return partition;
			});
		}).collect(HashSet::new, Set::add);
	}

	/** The record of a take: {@code <topic>:<partition>:<epoch>}. */
	public String recordId(int partition, long epoch) {
		return hintId(partition) + ":" + epoch;
	}

	private String hintId(int partition) {
		return topic + ":" + partition;
	}

	private static Bson byId(String id) {
		return Filters.eq(ID, id);
	}

}
