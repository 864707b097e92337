package dev.chat.gateway.socket;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The (room, user) pairs this node knows to be memberships, so that a subscribe, send or typing
 * of a known member needs no request to message-service. Only message-service's own answers
 * add a pair (it is the authority that decides what a user may read); a {@code member.left}
 * on {@code chat.rooms} removes it at once, on every node.
 *
 * <p>
 * An answer can race with a leave: message-service learns of the leave through {@code chat.rooms}
 * too, maybe later than this node, and may answer "member" after this node saw the leave. A
 * leave is therefore remembered for a while, and no answer about that pair is cached meanwhile
 * (a user who rejoins at once is asked about each time until then).
 */
@Component
class Memberships {

	/** Far longer than a request to message-service may take (its timeout is 5 s). */
	private static final long LEFT_REMEMBERED_NANOS = 30_000_000_000L;

	/** A cache, not a record: beyond this many pairs it starts over (and asks again). */
	private static final int MAX_PAIRS = 2_000_000;

	private final Set<String> members = ConcurrentHashMap.newKeySet();

	private final Map<String, Long> leftAt = new ConcurrentHashMap<>();

	boolean isMember(String roomId, String userId) {
		return members.contains(key(roomId, userId));
	}

	/** message-service confirmed the membership. */
	void confirmed(String roomId, String userId) {
		String key = key(roomId, userId);
		if (leftAt.containsKey(key)) {
			return;
		}
		if (members.size() >= MAX_PAIRS) {
			members.clear();
		}
		members.add(key);
	}

	void left(String roomId, String userId) {
		String key = key(roomId, userId);
		leftAt.put(key, System.nanoTime());
		members.remove(key);
	}

	@Scheduled(fixedDelay = 10_000)
	void forgetOldLeaves() {
		long now = System.nanoTime();
		leftAt.values().removeIf(at -> now - at > LEFT_REMEMBERED_NANOS);
	}

	private static String key(String roomId, String userId) {
		return roomId + '\n' + userId;
	}

}
