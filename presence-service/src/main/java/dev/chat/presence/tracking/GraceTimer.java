package dev.chat.presence.tracking;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.bson.Document;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.data.mongodb.core.ReactiveMongoOperations;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

import dev.chat.presence.store.DocumentLocks;

/**
 * Runs the check at the end of users' grace periods, all the users due at once in one call, and
 * remembers which users have one running, in one document per partition of
 * {@code chat.presence.events} read by id ({@code _id = "grace:{partition}"} in {@code registry},
 * written by the partition's owner only): the timers live in memory, and an instance that is
 * assigned a partition (at start, or taking it over) checks every user remembered there again
 * after a full grace period.
 */
@Component
class GraceTimer implements DisposableBean {

	static final String COLLECTION = "registry";

	/** Users checked in one call at most; more due at once are checked in further calls. */
	private static final int BATCH = 500;

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final DelayQueue<Due> due = new DelayQueue<>();

	private final ReactiveMongoOperations mongo;

	private final DocumentLocks locks;

	private final Clock clock;

	private volatile Thread worker;

	GraceTimer(ReactiveMongoOperations mongo, DocumentLocks locks, Clock clock) {
		this.mongo = mongo;
		this.locks = locks;
		this.clock = clock;
	}

	/** A user with a grace period running, and the partition that user belongs to. */
	record Pending(String userId, int partition) {
	}

	/** Starts calling {@code check} with the users whose grace period is over. */
	synchronized void start(Consumer<List<Pending>> check) {
		if (worker == null) {
			worker = Thread.ofPlatform().name("presence-grace").daemon().start(() -> run(check));
		}
	}

	private void run(Consumer<List<Pending>> check) {
		try {
			while (!Thread.currentThread().isInterrupted()) {
				Set<Pending> users = new LinkedHashSet<>();
				users.add(due.take().user);
				for (Due next = due.poll(); next != null; next = users.size() < BATCH ? due.poll() : null) {
					users.add(next.user);
				}
				check.accept(new ArrayList<>(users));
			}
		}
		catch (InterruptedException stop) {
			Thread.currentThread().interrupt();
		}
	}

	/** Remembers that the users have a grace period running; before their documents say so. */
	void remember(int partition, Collection<String> userIds) {
		String id = id(partition);
		locks.update(COLLECTION, id, () -> mongo
			.upsert(byId(id), new Update().addToSet("users").each(userIds.toArray()), COLLECTION)
			.block(TIMEOUT));
	}

	/** After their documents say no grace period runs any more. */
	void forget(int partition, Collection<String> userIds) {
		String id = id(partition);
		locks.update(COLLECTION, id,
				() -> mongo.updateFirst(byId(id), new Update().pullAll("users", userIds.toArray()), COLLECTION)
					.block(TIMEOUT));
	}

	/** The users of the partition remembered with a grace period running: one read by id. */
	List<String> remembered(int partition) {
		Document grace = mongo.findById(id(partition), Document.class, COLLECTION).block(TIMEOUT);
		return grace == null ? List.of() : grace.getList("users", String.class, List.of());
	}

	void at(Instant deadline, String userId, int partition) {
		due.add(new Due(new Pending(userId, partition), deadline.toEpochMilli(), clock));
	}

	/** Stops the timers of the partitions' users (another instance owns them now). */
	void cancel(Collection<Integer> partitions) {
		due.removeIf(pending -> partitions.contains(pending.user.partition()));
	}

	@Override
	public synchronized void destroy() {
		if (worker != null) {
			worker.interrupt();
			worker = null;
		}
	}

	private static String id(int partition) {
		return "grace:" + partition;
	}

	private static Query byId(String id) {
		return Query.query(Criteria.where("_id").is(id));
	}

	private record Due(Pending user, long atMillis, Clock clock) implements Delayed {

		@Override
		public long getDelay(TimeUnit unit) {
			return unit.convert(atMillis - clock.millis(), TimeUnit.MILLISECONDS);
		}

		@Override
		public int compareTo(Delayed other) {
			return Long.compare(atMillis, ((Due) other).atMillis);
		}

	}

}
