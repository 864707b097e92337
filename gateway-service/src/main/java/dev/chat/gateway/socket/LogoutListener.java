package dev.chat.gateway.socket;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

import dev.chat.common.events.UserEvent;

/**
 * Closes this node's sockets of a session that was logged out. Every node reads
 * {@code chat.users} ({@link FanOutConsumer}) from the latest offset: a logout concerns the
 * sockets open now, and a restarted node has none.
 */
@Component
class LogoutListener {

	private static final Logger log = LoggerFactory.getLogger(LogoutListener.class);

	private final JsonMapper json = JsonMapper.builder().build();

	private final SessionRegistry registry;

	LogoutListener(SessionRegistry registry) {
		this.registry = registry;
	}

	void onUserEvent(String value) {
		UserEvent event;
		try {
			event = json.readValue(value, UserEvent.class);
		}
		catch (JacksonException ex) {
			log.warn("skipping an unreadable chat.users record: {}", ex.getOriginalMessage());
			return;
		}
		if (event instanceof UserEvent.UserLoggedOut logout) {
			registry.closeSession(logout.userId(), logout.sessionId(), CloseCodes.LOGGED_OUT);
		}
	}

}
