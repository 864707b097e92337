package dev.chat.message.pipeline;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

import dev.chat.message.store.MessageStore;

/**
 * The last seq of each room this instance is sequencing, so that a busy room's counter is read
 * (and its leftovers recovered) once, not per batch. Valid only while this instance owns the
 * room's partition and nothing failed midway: a room is forgotten when its processing fails (a
 * write may have landed although it reported an error) and every room of a partition when the
 * partition is assigned or revoked (another instance may have written in between). The next use
 * then {@linkplain MessageStore#recover recovers} the room from the store.
 */
@Component
class RoomCursors {

	/** Beyond this many rooms the cache starts over; a miss only costs two reads by _id. */
	private static final int MAX_ROOMS = 100_000;

	private record Cursor(int partition, long lastSeq) {
	}

	private final Map<String, Cursor> cursors = new ConcurrentHashMap<>();

	private final MessageStore store;

	RoomCursors(MessageStore store) {
		this.store = store;
	}

	/** The room's last seq: remembered, or recovered from the store. */
	Mono<Long> lastSeq(String roomId, int partition) {
		Cursor cursor = cursors.get(roomId);
		if (cursor != null && cursor.partition() == partition) {
			return Mono.just(cursor.lastSeq());
		}
		return store.recover(roomId);
	}

	/** Remembers the room's last seq once everything up to it is stored and counted. */
	void remember(String roomId, int partition, long lastSeq) {
		if (cursors.size() >= MAX_ROOMS) {
			cursors.clear();
		}
		cursors.put(roomId, new Cursor(partition, lastSeq));
	}

	void forget(String roomId) {
		cursors.remove(roomId);
	}

	void forgetPartitions(Collection<Integer> partitions) {
		cursors.values().removeIf(cursor -> partitions.contains(cursor.partition()));
	}

}
