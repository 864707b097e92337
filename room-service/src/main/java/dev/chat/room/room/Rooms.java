package dev.chat.room.room;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

import dev.chat.room.store.DocumentLocks;
import dev.chat.room.store.StoreDialect;

import static org.springframework.data.mongodb.core.query.Criteria.where;

/**
 * The {@code rooms} and {@code room_names} collections. Every read and write filters on exactly
 * {@code _id}, which FerretDB answers from its index; only {@link #scan} reads the collection
 * through, for listing and search.
 *
 * <p>
 * Listing order: each room gets a {@code listKey} as it is inserted, and rooms are inserted one
 * at a time (per instance), so {@code listKey} order is insertion order. On MongoDB listings sort
 * by it, from an index. FerretDB would sort by reading every matching room first (measured:
 * 0.7 s for the first page at 10,000 rooms); unsorted, it streams rooms in insertion order and
 * stops at the page's end, so there the sort is left out.
 *
 * <p>
 * Updates of a room document ({@link #addMembers}, {@link #countMembers}, {@link #setOwner}) must
 * run under {@link #lockKey} of the room, which also guards the room's member list: that is what
 * keeps the count and the list moving together.
 */
@Component
public class Rooms {

	private final ReactiveMongoTemplate mongo;

	private final DocumentLocks locks;

	private final StoreDialect dialect;

	Rooms(ReactiveMongoTemplate mongo, DocumentLocks locks, StoreDialect dialect) {
		this.mongo = mongo;
		this.locks = locks;
		this.dialect = dialect;
	}

	/** The lock that guards the room document and its member list. */
	public static String lockKey(String roomId) {
		return "room:" + roomId;
	}

	public Mono<Room> find(String roomId) {
		return mongo.findOne(byId(roomId), Room.class);
	}

	/** The rooms of {@code roomIds} that exist, in that order; one lookup by id each. */
	public Flux<Room> findAll(List<String> roomIds) {
		return Flux.fromIterable(roomIds).flatMapSequential(this::find, 8);
	}

	/**
	 * Stores a new room with its {@code listKey}, taken as it is inserted: one insert at a time,
	 * so the keys increase in insertion order (about 5 ms each, so some 200 creates a second).
	 */
	public Mono<Room> insert(Room room) {
		return locks.withLock("rooms:insert", () -> mongo.insert(room.withListKey(RoomIds.next())));
	}

	/** Takes the name for its room; false if the name is taken. */
	public Mono<Boolean> reserveName(RoomName name) {
		return mongo.insert(name).thenReturn(true).onErrorResume(DuplicateKeyException.class, taken -> Mono.just(false));
	}

	public Mono<RoomName> findName(String key) {
		return mongo.findOne(byId(key), RoomName.class);
	}

	/**
	 * Gives back a name whose room was never stored; true if this call removed it. Only the
	 * reservation of that very room is removed, never one taken since by another room. The
	 * filter has two fields, so FerretDB scans {@code room_names}: acceptable on this rare path
	 * (a request that died between reserving the name and storing the room).
	 */
	public Mono<Boolean> releaseName(RoomName orphan) {
		return locks.withLock("room_names:" + orphan.id(),
				() -> mongo.remove(new Query(where("_id").is(orphan.id()).and("roomId").is(orphan.roomId())),
						RoomName.class))
			.map(result -> result.getDeletedCount() == 1);
	}

	/** Changes the member count by {@code delta}. Under {@link #lockKey}. */
	public Mono<Void> addMembers(String roomId, long delta) {
		return mongo.updateFirst(byId(roomId), new Update().inc("memberCount", delta), Room.class).then();
	}

	/** Sets the member count, after a recount of the member list. Under {@link #lockKey}. */
	public Mono<Void> countMembers(String roomId, long count) {
		return mongo.updateFirst(byId(roomId), new Update().set("memberCount", count), Room.class).then();
	}

	/** Sets or (with null) clears the owner. Under {@link #lockKey}. */
	public Mono<Void> setOwner(String roomId, String ownerId) {
		return mongo.updateFirst(byId(roomId), new Update().set("ownerId", ownerId), Room.class).then();
	}

	/**
	 * One page of the rooms a caller may list: public rooms and the given private ones, after
	 * {@code afterListKey} in insertion order, whose folded name contains {@code nameKeyPart}.
	 * FerretDB evaluates the filter while reading the collection from its start, up to the
	 * page's end; measured in {@code RoomLatencyMeasurement}.
	 */
	public Flux<Room> scan(Collection<String> privateRoomIds, String afterListKey, String nameKeyPart, int limit) {
		List<Criteria> conditions = new ArrayList<>();
		conditions.add(privateRoomIds.isEmpty() ? where("visibility").is(Visibility.PUBLIC)
				: new Criteria().orOperator(where("visibility").is(Visibility.PUBLIC),
						where("_id").in(privateRoomIds)));
		if (afterListKey != null) {
			conditions.add(where("listKey").gt(afterListKey));
		}
		if (nameKeyPart != null && !nameKeyPart.isEmpty()) {
			conditions.add(where("nameKey").regex(literal(nameKeyPart)));
		}
		Query query = new Query(new Criteria().andOperator(conditions)).limit(limit);
		if (!dialect.sortsByScanning()) {
			query.with(Sort.by("listKey"));
		}
		return mongo.find(query, Room.class);
	}

	/** A regular expression that matches {@code text} literally, in MongoDB's and FerretDB's dialects. */
	static String literal(String text) {
		StringBuilder escaped = new StringBuilder(text.length() + 8);
		text.codePoints().forEach(c -> {
			if ("\\^$.|?*+()[]{}-/".indexOf(c) >= 0) {
				escaped.append('\\');
			}
			escaped.appendCodePoint(c);
		});
		return escaped.toString();
	}

	private static Query byId(String id) {
		return new Query(where("_id").is(id));
	}

}
