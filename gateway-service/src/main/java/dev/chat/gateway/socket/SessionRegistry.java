package dev.chat.gateway.socket;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

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
	Mono<Void> closeSession(String userId, String sessionId, CloseCodes code) {
		return Flux.fromIterable(byUser.getOrDefault(userId, Set.of()))
			.filter(s -> Objects.equals(s.sessionId(), sessionId))
			.flatMap(s -> s.close(code))
			.then();
	}

	int size() {
		return byUser.values().stream().mapToInt(Set::size).sum();
	}

}
