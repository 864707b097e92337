package dev.chat.gateway.socket;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.springframework.stereotype.Component;

/**
 * The sockets open on this node, by user; and whether the node is shutting down, when every
 * socket, also one that opens from now on, drains (see {@link SocketShutdown}).
 */
@Component
class SessionRegistry {

	private final Map<String, Set<ClientSession>> byUser = new ConcurrentHashMap<>();

	private final AtomicInteger open = new AtomicInteger();

	private volatile boolean closing;

	void add(ClientSession session) {
		byUser.compute(session.userId(), (id, sessions) -> {
			Set<ClientSession> set = sessions != null ? sessions : ConcurrentHashMap.newKeySet(2);
			set.add(session);
			return set;
		});
		open.incrementAndGet();
		// Added before the flag is read, and the flag set before the shutdown's pass over the
		// sessions: a socket that opens during that pass is drained by one or the other.
		if (closing) {
			session.drain();
		}
	}

	/** The node is shutting down: handshakes are refused and sockets that open meanwhile drain at once. */
	void startClosing() {
		closing = true;
	}

	boolean closing() {
		return closing;
	}

	void remove(ClientSession session) {
		byUser.computeIfPresent(session.userId(), (id, sessions) -> {
			if (sessions.remove(session)) {
				open.decrementAndGet();
			}
			return sessions.isEmpty() ? null : sessions;
		});
	}

	/** Closes the user's sockets opened with tokens of the given Keycloak session. */
	void closeSession(String userId, String sessionId, CloseCodes code) {
		ofUser(userId).stream().filter(s -> Objects.equals(s.sessionId(), sessionId)).forEach(s -> s.close(code));
	}

	Collection<ClientSession> ofUser(String userId) {
		Set<ClientSession> sessions = byUser.get(userId);
		return sessions == null ? List.of() : sessions;
	}

	/** Visits every open session (weakly consistent: sessions opened meanwhile may be missed). */
	void forEach(Consumer<ClientSession> action) {
		byUser.values().forEach(sessions -> sessions.forEach(action));
	}

	int size() {
		return open.get();
	}

}
