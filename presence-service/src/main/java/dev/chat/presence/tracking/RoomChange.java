package dev.chat.presence.tracking;

import java.time.Instant;

/** A user's status in a room changed: what is published on {@code chat.presence}. */
sealed interface RoomChange {

	String roomId();

	/** When the user entered the new status. */
	Instant since();

	/** The user has a live connection subscribed to the room, and had none before. */
	record CameOnline(String roomId, Instant since) implements RoomChange {
	}

	/**
	 * The user's last subscribed connection to the room ended at {@code since} and none came back
	 * within the grace period.
	 */
	record WentOffline(String roomId, Instant since) implements RoomChange {
	}

}
