package dev.chat.gateway.socket;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/** The sockets open on this node, by user. */
@Component
class SessionRegistry {

	private final Map<String, Set<ClientSession>> byUser = new ConcurrentHashMap<>();

	void add(ClientSession session) {
		byUser.computeIfAbsent(session.userId(), id -> ConcurrentHashMap.newKeySet()).add(session);
	}

	void remove(ClientSession session) {
		byUser.computeIfPresent(session.userId(), (id, sessions) -> {
			sessions.remove(session);
			return sessions.isEmpty() ? null : sessions;
		});
	}

	/** Closes the user's sockets opened with tokens of the given Keycloak session. */
	void closeSession(String userId, String sessionId, CloseCodes code) {
		byUser.getOrDefault(userId, Set.of())
			.stream()
			.filter(s -> Objects.equals(s.sessionId(), sessionId))
			.forEach(s -> s.close(code));
	}

	Set<ClientSession> ofUser(String userId) {
		return byUser.getOrDefault(userId, Set.of());
	}

	int size() {
		return byUser.values().stream().mapToInt(Set::size).sum();
	}

}
