package dev.chat.message.history;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/**
 * The last seq this instance saw in each room it served history for: where a first page most
 * likely starts. Only a hint (a page read from it is checked against the counter), so it needs no
 * invalidation.
 */
@Component
class RoomTails {

	/** Beyond this many rooms the hints start over; a room without one costs one round trip more. */
	private static final int MAX_ROOMS = 100_000;

	private final Map<String, Long> tails = new ConcurrentHashMap<>();

	/** The seq a first page of the room most likely starts at, or null. */
	Long topOf(String roomId) {
		return tails.get(roomId);
	}

	void saw(String roomId, long lastSeq) {
		if (tails.size() >= MAX_ROOMS) {
			tails.clear();
		}
		tails.merge(roomId, lastSeq, Math::max);
	}

}
