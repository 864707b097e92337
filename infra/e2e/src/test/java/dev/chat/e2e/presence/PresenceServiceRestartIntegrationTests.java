package dev.chat.e2e.presence;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import dev.chat.e2e.support.Keycloak;
import dev.chat.e2e.support.TestStackExtension;
import dev.chat.stack.Component;
import dev.chat.stack.Stack;
import dev.chat.test.socket.SocketClient;

import static dev.chat.e2e.presence.PresenceClient.awaitPresence;
import static dev.chat.e2e.presence.PresenceClient.presenceFramesDuring;
import static dev.chat.e2e.presence.PresenceClient.subjectOf;
import static dev.chat.e2e.presence.PresenceClient.subscribed;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * presence-service stopped and started again while users stay connected: nobody flaps offline
 * and online, not during the restart and not within a node timeout (15 s) after it, the REST
 * list is back, and presence works on afterwards.
 */
@ExtendWith(TestStackExtension.class)
class PresenceServiceRestartIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	@Test
	void aRestartOfPresenceServiceMakesNobodyFlap(Stack stack, Keycloak keycloak) throws Exception {
		PresenceClient client = new PresenceClient(stack);
		String alice = keycloak.accessToken("alice");
		String bob = keycloak.accessToken("bob");
		String carol = keycloak.accessToken("carol");
		String room = client.room(alice, bob, carol);
		String bobId = subjectOf(bob);
		String carolId = subjectOf(carol);
		Component presenceService = stack.component("presence-service");
		try (SocketClient watcher = subscribed(client.gateway(), alice, room);
				SocketClient bobs = subscribed(client.gateway2(), bob, room);
				SocketClient carols = subscribed(client.gateway(), carol, room)) {
			awaitPresence(watcher, Set.of(bobId, carolId), "online", WAIT);

			presenceService.stop();
			stack.start(presenceService);

			List<JsonNode> afterRestart = presenceFramesDuring(watcher, Duration.ofSeconds(20));
			assertThat(afterRestart).as("presence frames during and after the restart").isEmpty();
			assertThat(client.online(keycloak.accessToken("alice"), room)).containsExactlyInAnyOrder(subjectOf(alice),
					bobId, carolId);

			carols.close();
			awaitPresence(watcher, carolId, "offline", WAIT);
		}
	}

}
