package dev.chat.gateway.socket;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/** Which sessions of this node are subscribed to which room. */
@Component
class Subscriptions {

	private final Map<String, Set<RoomSubscription>> byRoom = new ConcurrentHashMap<>();

	RoomSubscription subscribe(ClientSession session, String roomId) {
		RoomSubscription subscription = new RoomSubscription(session, roomId);
		unsubscribe(session, roomId);
		byRoom.computeIfAbsent(roomId, id -> ConcurrentHashMap.newKeySet()).add(subscription);
		return subscription;
	}

	void unsubscribe(ClientSession session, String roomId) {
		byRoom.computeIfPresent(roomId, (id, subscriptions) -> {
			subscriptions.removeIf(s -> s.session() == session);
			return subscriptions.isEmpty() ? null : subscriptions;
		});
	}

	void unsubscribeAll(ClientSession session) {
		for (String roomId : session.subscribed()) {
			unsubscribe(session, roomId);
		}
	}

	/** Ends every subscription of a user to a room (the user left it). */
	void unsubscribeUser(String userId, String roomId) {
		byRoom.computeIfPresent(roomId, (id, subscriptions) -> {
			subscriptions.removeIf(s -> s.session().userId().equals(userId));
			return subscriptions.isEmpty() ? null : subscriptions;
		});
	}

	Set<RoomSubscription> of(String roomId) {
		return byRoom.getOrDefault(roomId, Set.of());
	}

}
