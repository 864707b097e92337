package dev.chat.room.outbox;

import java.time.Clock;
import java.time.Instant;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

import dev.chat.common.events.RoomEvent;
import dev.chat.room.store.DocumentLocks;

import static org.springframework.data.mongodb.core.query.Criteria.where;

/**
 * The write side of the outbox, used by the features around each change (see the package
 * documentation for the protocol): {@link #intend} before the change, {@link #ready} after it,
 * {@link #abandon} when the change was refused.
 */
@Component
public class Outbox {

	private final ReactiveMongoTemplate mongo;

	private final JsonMapper json;

	private final DocumentLocks locks;

	private final Clock clock;

	private final Sinks.Many<Boolean> wakeUps = Sinks.many().multicast().directBestEffort();

	Outbox(ReactiveMongoTemplate mongo, JsonMapper json, DocumentLocks locks, Clock clock) {
		this.mongo = mongo;
		this.json = json;
		this.locks = locks;
		this.clock = clock;
	}

	/**
	 * Records that {@code event} is to be published if the change it describes, in the document
	 * {@code subject}, gets stored. Call before writing the change; fails if the entry could not be
	 * stored, and then the change must not be written.
	 */
	public Mono<Void> intend(RoomEvent event, String subject) {
		OutboxEntry entry = new OutboxEntry(event.eventId().toString(), event.type(), event.roomId(), subject,
				json.writerFor(RoomEvent.class).writeValueAsString(event), OutboxEntry.State.INTENT, clock.instant());
		return mongo.insert(entry).then();
	}

	/** The change of {@code event} and all that follows from it are stored: publish it. */
	public Mono<Void> ready(RoomEvent event) {
		return markReady(event.eventId().toString()).doOnSuccess(done -> wakeUp());
	}

	/** The change of {@code event} was refused and not stored: forget the event. */
	public Mono<Void> abandon(RoomEvent event) {
		return delete(event.eventId().toString());
	}

	Mono<Void> markReady(String id) {
		return locks.withLock(key(id),
				() -> mongo.updateFirst(byId(id), new Update().set("state", OutboxEntry.State.READY), OutboxEntry.class))
			.then();
	}

	/** The oldest entries first. A scan, acceptable here only because the collection stays small. */
	Flux<OutboxEntry> oldest(int limit) {
		return mongo.find(new Query().with(Sort.by("createdAt", "_id")).limit(limit), OutboxEntry.class);
	}

	Mono<Void> delete(String id) {
		return mongo.remove(byId(id), OutboxEntry.class).then();
	}

	/** How many entries wait; a scan, for tests and diagnostics. */
	public Mono<Long> size() {
		return mongo.count(new Query(), OutboxEntry.class);
	}

	/** Signals the relay that there is work; emitted when an entry becomes ready. */
	Flux<Boolean> wakeUps() {
		return wakeUps.asFlux();
	}

	Instant now() {
		return clock.instant();
	}

	private void wakeUp() {
		// Best effort: a wake-up lost while the relay is busy is caught by its next poll.
		wakeUps.tryEmitNext(Boolean.TRUE);
	}

	private static Query byId(String id) {
		return new Query(where("_id").is(id));
	}

	private static String key(String id) {
		return "outbox:" + id;
	}

}
