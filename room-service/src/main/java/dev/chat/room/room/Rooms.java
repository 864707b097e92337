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

import static org.springframework.data.mongodb.core.query.Criteria.where;

/**
 * The {@code rooms} and {@code room_names} collections. Every read and write filters on exactly
 * {@code _id}, which FerretDB answers from its index; only {@link #scan} reads the collection
 * through, for listing and search.
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

	Rooms(ReactiveMongoTemplate mongo, DocumentLocks locks) {
		this.mongo = mongo;
		this.locks = locks;
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

	public Mono<Void> insert(Room room) {
		return mongo.insert(room).then();
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
	 * {@code afterId} in id (creation) order, whose folded name contains {@code nameKeyPart}.
	 * FerretDB evaluates this after reading the whole collection; measured in
	 * {@code RoomLatencyMeasurement}.
	 */
	public Flux<Room> scan(Collection<String> privateRoomIds, String afterId, String nameKeyPart, int limit) {
		List<Criteria> conditions = new ArrayList<>();
		conditions.add(privateRoomIds.isEmpty() ? where("visibility").is(Visibility.PUBLIC)
				: new Criteria().orOperator(where("visibility").is(Visibility.PUBLIC),
						where("_id").in(privateRoomIds)));
		if (afterId != null) {
			conditions.add(where("_id").gt(afterId));
		}
		if (nameKeyPart != null && !nameKeyPart.isEmpty()) {
			conditions.add(where("nameKey").regex(literal(nameKeyPart)));
		}
		Query query = new Query(new Criteria().andOperator(conditions)).with(Sort.by("_id")).limit(limit);
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
