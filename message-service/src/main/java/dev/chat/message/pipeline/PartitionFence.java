package dev.chat.message.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.core.env.Environment;
import org.springframework.data.mongodb.ReactiveMongoDatabaseFactory;
import org.springframework.stereotype.Component;

import dev.chat.common.health.KafkaListenersHealthAutoConfiguration;
import dev.chat.common.kafka.Topics;
import dev.chat.message.MessageProperties;

/**
 * Keeps an instance that lost a partition of {@code chat.messages.inbound} from writing for it.
 * Kafka gives a partition one consumer, but an instance that was paused (a long GC, a stopped
 * process, a machine cut off) is declared gone after the session timeout while it may still hold
 * a polled batch: when it resumes, it would store and publish commands that the partition's new
 * owner is storing too, at seqs of its own.
 *
 * <p>
 * One small document, {@code _id = "chat.messages.inbound"} in {@code partition_owners}, holds
 * each partition's {@code epochs.p<n>} and {@code owners.p<n>}. The first batch after an
 * assignment <em>takes</em> its new partitions: one atomic {@code $inc} of their epochs (a
 * single-document write, so two instances never get the same epoch), remembered in memory.
 * Before each write step and before publishing, the pipeline reads that document by id: a
 * partition whose epoch moved on was taken by another instance, and its rooms stop before writing
 * anything more (their commands stay uncommitted for the new owner). A fenced partition is not
 * taken back until Kafka assigns it again.
 *
 * <p>
 * A take that replaces another instance's ownership waits {@code fenceGrace} before the batch
 * reads the rooms' counters, so that a write the previous owner had already checked and sent lands
 * first and is recovered ({@code MessageStore#recover}) like any interrupted attempt. What stays
 * open is a previous owner paused for longer than that between its check and its write; the store
 * then keeps the first entry stored at a seq, and each send's key names the entry it belongs to, so
 * a retry is answered with what was stored, not with a second copy.
 */
@Component
class PartitionFence {

	static final String COLLECTION = "partition_owners";

	private static final Logger log = LoggerFactory.getLogger(PartitionFence.class);

	private static final String ID = "_id";

	/** The one document: every partition's epoch and owner, read in one lookup by id. */
	private static final String ID_VALUE = Topics.MESSAGES_INBOUND;

	private static final String EPOCHS = "epochs";

	private static final String OWNERS = "owners";

	/** In {@link #epochs}: the partition was taken by another instance since this one took it. */
	private static final long FENCED = -1;

	/** Per partition assigned to this instance and taken: the epoch it took; absent until taken. */
	private final Map<Integer, Long> epochs = new ConcurrentHashMap<>();

	private final MongoCollection<Document> owners;

	private final String owner;

	private final Duration grace;

	PartitionFence(ReactiveMongoDatabaseFactory factory, Environment environment, MessageProperties properties) {
		// No I/O: the factory hands out the database object of its connection string.
		this.owners = factory.getMongoDatabase().block().getCollection(COLLECTION);
		// A restarted process keeps its instance id; the suffix tells its incarnations apart.
		this.owner = environment.getProperty(KafkaListenersHealthAutoConfiguration.INSTANCE_ID,
				environment.getProperty("spring.application.name", "message-service") + "-1") + ":"
				+ UUID.randomUUID().toString().substring(0, 8);
		this.grace = properties.pipeline().fenceGrace();
	}

	/** This incarnation's name in {@code partition_owners}. */
	String owner() {
		return owner;
	}

	/** Kafka assigned the partitions (again): the next batch takes them. */
	void assigned(Collection<Integer> partitions) {
		partitions.forEach(epochs::remove);
	}

	/** Kafka took the partitions away. */
	void revoked(Collection<Integer> partitions) {
		partitions.forEach(epochs::remove);
	}

	/**
	 * Takes the partitions not taken since their assignment, then answers those of
	 * {@code partitions} that another instance has taken since: nothing more may be written for
	 * them. Fails when the store cannot tell.
	 */
	Mono<Set<Integer>> fenced(Set<Integer> partitions) {
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
		List<Bson> updates = new ArrayList<>();
		for (int partition : partitions) {
			updates.add(Updates.inc(EPOCHS + "." + field(partition), 1L));
			updates.add(Updates.set(OWNERS + "." + field(partition), owner));
		}
		// One write takes them all: the document's previous state says each one's new epoch.
		return Mono
			.from(owners.findOneAndUpdate(byId(ID_VALUE), Updates.combine(updates),
					new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.BEFORE)))
			.defaultIfEmpty(new Document())
			.flatMap(before -> {
				boolean replaced = false;
				for (int partition : partitions) {
					long epoch = epochOf(before, partition) + 1;
					String previous = before.get(OWNERS, Document.class) == null ? null
							: before.get(OWNERS, Document.class).getString(field(partition));
					epochs.put(partition, epoch);
					replaced |= previous != null && !previous.equals(owner);
					log.atInfo()
						.addKeyValue("partition", partition)
						.addKeyValue("epoch", epoch)
						.addKeyValue("owner", owner)
						.addKeyValue("previousOwner", previous)
						.log("partition taken");
				}
				return replaced ? Mono.delay(grace).then() : Mono.<Void>empty();
			});
	}

	/** The held partitions whose epoch moved on (or whose record is gone). */
	private Mono<Set<Integer>> check(List<Integer> partitions) {
		if (partitions.isEmpty()) {
			return Mono.just(Set.of());
		}
		return Mono.from(owners.find(byId(ID_VALUE)).first()).defaultIfEmpty(new Document()).map(stored -> {
			Set<Integer> moved = new HashSet<>();
			for (int partition : partitions) {
				Long mine = epochs.get(partition);
				long current = epochOf(stored, partition);
				if (mine != null && mine != FENCED && mine == current) {
					continue;
				}
				moved.add(partition);
				if (mine != null && mine != FENCED && epochs.replace(partition, mine, FENCED)) {
					log.atWarn()
						.addKeyValue("partition", partition)
						.addKeyValue("epoch", mine)
						.addKeyValue("currentEpoch", current)
						.addKeyValue("owner", owner)
						.log("partition fenced: another instance took it; this one writes nothing more for it");
				}
			}
			return moved;
		});
	}

	private static long epochOf(Document document, int partition) {
		Document epochs = document.get(EPOCHS, Document.class);
		return epochs != null && epochs.get(field(partition)) instanceof Number number ? number.longValue() : 0;
	}

	/** A partition's field name: a letter first, so no store reads the path as an array index. */
	private static String field(int partition) {
		return "p" + partition;
	}

	private static Bson byId(String id) {
		return Filters.eq(ID, id);
	}

}
