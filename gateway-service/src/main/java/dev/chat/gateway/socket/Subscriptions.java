package dev.chat.gateway.socket;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import dev.chat.gateway.GatewayProperties;

/**
 * Which sessions of this node are subscribed to which room, by room ({@link RoomChannel}).
 * Subscribing and unsubscribing cost the same however many sockets the room has. A room nobody
 * here is subscribed to any more is kept for a while (its head and recent events stay exact),
 * so that clients reconnecting after a drop recover from memory.
 */
@Component
class Subscriptions {

	private final Map<String, RoomChannel> rooms = new ConcurrentHashMap<>();

	private final int recentEvents;

	private final long lingerNanos;

	Subscriptions(GatewayProperties properties) {
		this.recentEvents = properties.socket().recentEvents();
		this.lingerNanos = properties.socket().roomLinger().toNanos();
	}

	/** Registers a new subscription (replacing the session's earlier one to the room). */
	RoomSubscription subscribe(ClientSession session, String roomId) {
		RoomSubscription subscription = new RoomSubscription(session, roomId);
		rooms.compute(roomId, (id, channel) -> {
			RoomChannel room = channel != null ? channel : new RoomChannel(id, recentEvents);
			room.add(subscription);
			return room;
		});
		return subscription;
	}

	/** The room of a subscription made with {@link #subscribe}; present while it lingers. */
	RoomChannel channel(String roomId) {
		return rooms.get(roomId);
	}

	void unsubscribe(ClientSession session, String roomId) {
		RoomChannel room = rooms.get(roomId);
		if (room != null) {
			room.remove(session);
		}
	}

	void unsubscribeAll(ClientSession session) {
		for (String roomId : session.subscribedRooms()) {
			unsubscribe(session, roomId);
		}
	}

	/** Ends every subscription of a user to a room (the user left it). */
	void unsubscribeUser(String userId, String roomId) {
		RoomChannel room = rooms.get(roomId);
		if (room != null) {
			room.subscribers()
				.stream()
				.filter(s -> s.session().userId().equals(userId))
				.toList()
				.forEach(s -> room.remove(s.session()));
		}
	}

	/** The room's subscriptions here; empty when there are none. */
	Collection<RoomSubscription> of(String roomId) {
		RoomChannel room = rooms.get(roomId);
		return room == null ? List.of() : room.subscribers();
	}

	/** Forgets rooms no one here has been subscribed to for the linger period. */
	@Scheduled(fixedDelay = 10_000)
	void forgetIdleRooms() {
		long now = System.nanoTime();
		for (String roomId : List.copyOf(rooms.keySet())) {
			rooms.computeIfPresent(roomId, (id, room) -> {
				if (room.idleLongerThan(lingerNanos, now)) {
					room.release();
					return null;
				}
				return room;
			});
		}
	}

}
