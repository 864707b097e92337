package dev.chat.e2e.presence;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import dev.chat.e2e.support.Keycloak;
import dev.chat.e2e.support.TestStackExtension;
import dev.chat.stack.Stack;
import dev.chat.test.socket.SocketClient;

import static dev.chat.e2e.presence.PresenceClient.awaitPresence;
import static dev.chat.e2e.presence.PresenceClient.presenceFramesDuring;
import static dev.chat.e2e.presence.PresenceClient.subjectOf;
import static dev.chat.e2e.presence.PresenceClient.subscribed;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One user on several devices, on both gateway nodes: online while any device is subscribed,
 * offline once when the last one goes, and nothing at all for a reconnect within the grace
 * period (2 s).
 */
@ExtendWith(TestStackExtension.class)
class PresenceAcrossDevicesIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	private static final Duration GRACE = Duration.ofSeconds(2);

	@Test
	void aUserOnTwoDevicesOnTwoNodesGoesOfflineOnceWhenTheLastOneCloses(Stack stack, Keycloak keycloak) {
		PresenceClient client = new PresenceClient(stack);
		String alice = keycloak.accessToken("alice");
		String bob = keycloak.accessToken("bob");
		String room = client.room(alice, bob);
		String bobId = subjectOf(bob);
		try (SocketClient watcher = subscribed(client.gateway2(), alice, room)) {
			SocketClient phone = subscribed(client.gateway(), bob, room);
			SocketClient laptop = subscribed(client.gateway2(), bob, room);
			awaitPresence(watcher, bobId, "online", WAIT);

			phone.close();
			List<JsonNode> whileOneIsOpen = presenceFramesDuring(watcher, GRACE.plusSeconds(3));
			assertThat(whileOneIsOpen).filteredOn(frame -> bobId.equals(frame.path("userId").asString())).isEmpty();
			assertThat(client.online(alice, room)).contains(bobId);

			laptop.close();
			awaitPresence(watcher, bobId, "offline", WAIT);
			assertThat(presenceFramesDuring(watcher, GRACE.plusSeconds(1)))
				.filteredOn(frame -> bobId.equals(frame.path("userId").asString()))
				.isEmpty();
			assertThat(client.online(alice, room)).doesNotContain(bobId);
		}
	}

	@Test
	void aReconnectToTheOtherNodeWithinTheGracePeriodShowsNothing(Stack stack, Keycloak keycloak) {
		PresenceClient client = new PresenceClient(stack);
		String alice = keycloak.accessToken("alice");
		String carol = keycloak.accessToken("carol");
		String room = client.room(alice, carol);
		String carolId = subjectOf(carol);
		try (SocketClient watcher = subscribed(client.gateway(), alice, room)) {
			SocketClient first = subscribed(client.gateway(), carol, room);
			awaitPresence(watcher, carolId, "online", WAIT);

			first.close();
			try (SocketClient again = subscribed(client.gateway2(), carol, room)) {
				assertThat(presenceFramesDuring(watcher, GRACE.plusSeconds(3)))
					.filteredOn(frame -> carolId.equals(frame.path("userId").asString()))
					.isEmpty();
				assertThat(client.online(alice, room)).contains(carolId);
			}
		}
	}

}
