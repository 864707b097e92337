package dev.chat.presence.tracking;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
 * remembers which users have one running, in {@value #BUCKETS} documents read by id
 * ({@code _id = "grace:{bucket}"} in {@code registry}, by a hash of the user id): the timers live
 * in memory, and after a restart every remembered user is checked again after a full grace
 * period.
 */
@Component
class GraceTimer implements DisposableBean {

	static final String COLLECTION = "registry";

	static final int BUCKETS = 32;

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

	/** Starts calling {@code check} with the users whose grace period is over. */
	synchronized void start(Consumer<List<String>> check) {
		if (worker == null) {
			worker = Thread.ofPlatform().name("presence-grace").daemon().start(() -> run(check));
		}
	}

	private void run(Consumer<List<String>> check) {
		try {
			while (!Thread.currentThread().isInterrupted()) {
				Set<String> users = new LinkedHashSet<>();
				users.add(due.take().userId);
				for (Due next = due.poll(); next != null; next = users.size() < BATCH ? due.poll() : null) {
					users.add(next.userId);
				}
				check.accept(new ArrayList<>(users));
			}
		}
		catch (InterruptedException stop) {
			Thread.currentThread().interrupt();
		}
	}

	/** Remembers that the users have a grace period running; before their documents say so. */
	void remember(Collection<String> userIds) {
		byBucket(userIds).forEach((id, users) -> locks.update(COLLECTION, id, () -> mongo
			.upsert(byId(id), new Update().addToSet("users").each(users.toArray()), COLLECTION)
			.block(TIMEOUT)));
	}

	/** After their documents say no grace period runs any more. */
	void forget(Collection<String> userIds) {
		byBucket(userIds).forEach((id, users) -> locks.update(COLLECTION, id,
				() -> mongo.updateFirst(byId(id), new Update().pullAll("users", users.toArray()), COLLECTION)
					.block(TIMEOUT)));
	}

	List<String> remembered() {
		List<String> users = new ArrayList<>();
		for (int bucket = 0; bucket < BUCKETS; bucket++) {
			Document grace = mongo.findById(id(bucket), Document.class, COLLECTION).block(TIMEOUT);
			if (grace != null) {
				users.addAll(grace.getList("users", String.class, List.of()));
			}
		}
		return users;
	}

	void at(Instant deadline, String userId) {
		due.add(new Due(userId, deadline.toEpochMilli(), clock));
	}

	@Override
	public synchronized void destroy() {
		if (worker != null) {
			worker.interrupt();
			worker = null;
		}
	}

	private static String id(int bucket) {
		return "grace:" + bucket;
	}

	private static Map<String, List<String>> byBucket(Collection<String> userIds) {
		Map<String, List<String>> buckets = new TreeMap<>();
		for (String userId : userIds) {
			buckets.computeIfAbsent(id(Math.floorMod(userId.hashCode(), BUCKETS)), b -> new ArrayList<>()).add(userId);
		}
		return buckets;
	}

	private static Query byId(String id) {
		return Query.query(Criteria.where("_id").is(id));
	}

	private record Due(String userId, long atMillis, Clock clock) implements Delayed {

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
