package dev.chat.presence.partition;

import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.springframework.core.env.Environment;
import org.springframework.data.mongodb.ReactiveMongoDatabaseFactory;
import org.springframework.stereotype.Component;

import dev.chat.common.kafka.PartitionFence;
import dev.chat.common.kafka.Topics;
import dev.chat.presence.PresenceProperties;

/**
 * The partitions of {@code chat.presence.events} this instance owns, and so the users it may
 * write for: a user's signals are keyed by user id, so each user belongs to one partition, and
 * every document written for users (their own, their rooms' online lists, node and grace lists)
 * is split by partition and written only by the partition's owner. That is what makes two or more
 * instances exact on FerretDB, where only inserts and deletes by {@code _id} are isolated: no
 * document has two writers.
 *
 * <p>
 * Kafka assigns the partitions; a {@link PartitionFence} ({@code partition_owners}) keeps an
 * instance that was paused past its session (and lost partitions it does not know it lost) from
 * writing for them when it resumes. Work off the listener threads (drops of a node's connections,
 * grace checks) runs {@link #whileOwned}: a revocation waits for it, and it does nothing for a
 * partition no longer owned.
 */
@Component
public class PartitionOwnership {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final Set<Integer> owned = ConcurrentHashMap.newKeySet();

	private final ConcurrentHashMap<Integer, ReentrantReadWriteLock> locks = new ConcurrentHashMap<>();

	private final PartitionFence fence;

	PartitionOwnership(ReactiveMongoDatabaseFactory factory, Environment environment, PresenceProperties properties) {
		// No I/O: the factory hands out the database object of its connection string.
		this.fence = new PartitionFence(factory.getMongoDatabase().block().getCollection(PartitionFence.COLLECTION),
				Topics.PRESENCE_EVENTS, PartitionFence.ownerName(environment), properties.fenceGrace());
	}

	/** Kafka assigned the partitions to this instance: the next write for them takes them. */
	public void assigned(Collection<Integer> partitions) {
		fence.assigned(partitions);
		owned.addAll(partitions);
	}

	/** Kafka took the partitions away: waits for work {@link #whileOwned} on them to end. */
	public void revoked(Collection<Integer> partitions) {
		for (int partition : partitions) {
			ReentrantReadWriteLock lock = lock(partition);
			lock.writeLock().lock();
			try {
				owned.remove(partition);
			}
			finally {
				lock.writeLock().unlock();
			}
		}
		fence.revoked(partitions);
	}

	/** The partitions assigned to this instance now, in order. */
	public Set<Integer> owned() {
		return new TreeSet<>(owned);
	}

	/**
	 * Runs {@code work} while the partition stays assigned (a revocation waits for it); does
	 * nothing if it is not assigned.
	 *
	 * @return whether it ran
	 */
	public boolean whileOwned(int partition, Runnable work) {
		ReentrantReadWriteLock lock = lock(partition);
		lock.readLock().lock();
		try {
			if (!owned.contains(partition)) {
				return false;
			}
			work.run();
			return true;
		}
		finally {
			lock.readLock().unlock();
		}
	}

	/**
	 * Of {@code partitions}, those this instance may no longer write for: taken by another
	 * instance since Kafka assigned them here, or not assigned here. Takes the ones not taken
	 * since their assignment first (waiting the fence grace if that replaces another instance).
	 * Call it just before writing; fails when the store cannot tell.
	 */
	public Set<Integer> fenced(Set<Integer> partitions) {
		Set<Integer> fenced = new TreeSet<>();
		Set<Integer> assigned = new TreeSet<>();
		for (int partition : partitions) {
			(owned.contains(partition) ? assigned : fenced).add(partition);
		}
		if (!assigned.isEmpty()) {
			fenced.addAll(fence.fenced(assigned).block(TIMEOUT));
		}
		return fenced;
	}

	private ReentrantReadWriteLock lock(int partition) {
		return locks.computeIfAbsent(partition, p -> new ReentrantReadWriteLock());
	}

}
