package dev.chat.presence.room;

import java.time.Instant;
import java.util.List;

import dev.chat.presence.tracking.RoomPresenceStore;

/**
 * The response of {@code GET /api/rooms/{roomId}/presence}.
 *
 * @param users who is online, longest online first
 */
record RoomPresenceView(String roomId, List<User> users) {

	/**
	 * @param since when the user came online in the room
	 */
	record User(String userId, String username, Instant since) {
	}

	static RoomPresenceView of(String roomId, List<RoomPresenceStore.OnlineUser> online) {
		return new RoomPresenceView(roomId,
				online.stream().map(user -> new User(user.userId(), user.username(), user.since())).toList());
	}

}
