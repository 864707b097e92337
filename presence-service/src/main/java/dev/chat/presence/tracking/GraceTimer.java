package dev.chat.presence.tracking;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.bson.Document;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.data.mongodb.core.ReactiveMongoOperations;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

import dev.chat.presence.store.DocumentLocks;

/**
 * Runs the check at the end of a user's grace period, and remembers which users have one
 * running in a document read by id ({@code _id = "grace"} in {@code registry}): the timers
 * themselves live in memory, and after a restart every remembered user is checked again after a
 * full grace period.
 */
@Component
class GraceTimer implements DisposableBean {

	static final String COLLECTION = "registry";

	static final String ID = "grace";

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final ScheduledExecutorService executor = Executors
		.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("presence-grace").daemon().factory());

	private final ReactiveMongoOperations mongo;

	private final DocumentLocks locks;

	private final Clock clock;

	GraceTimer(ReactiveMongoOperations mongo, DocumentLocks locks, Clock clock) {
		this.mongo = mongo;
		this.locks = locks;
		this.clock = clock;
	}

	/** Remembers that the user has a grace period running; before it is stored in the user's document. */
	void remember(String userId) {
		locks.update(COLLECTION, ID,
				() -> mongo.upsert(byId(), new Update().addToSet("users", userId), COLLECTION).block(TIMEOUT));
	}

	/** After the user's document says no grace period runs any more. */
	void forget(String userId) {
		locks.update(COLLECTION, ID,
				() -> mongo.updateFirst(byId(), new Update().pull("users", userId), COLLECTION).block(TIMEOUT));
	}

	List<String> remembered() {
		Document grace = mongo.findById(ID, Document.class, COLLECTION).block(TIMEOUT);
		return grace == null ? List.of() : grace.getList("users", String.class, List.of());
	}

	void at(Instant deadline, Runnable check) {
		long delay = Math.max(0, Duration.between(clock.instant(), deadline).toMillis());
		executor.schedule(check, delay, TimeUnit.MILLISECONDS);
	}

	@Override
	public void destroy() {
		executor.shutdownNow();
	}

	private static Query byId() {
		return Query.query(Criteria.where("_id").is(ID));
	}

}
