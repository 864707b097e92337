package dev.chat.e2e.presence;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.chat.e2e.support.Keycloak;
import dev.chat.e2e.support.TestStackExtension;
import dev.chat.stack.Component;
import dev.chat.stack.Stack;
import dev.chat.test.socket.SocketClient;

import static dev.chat.e2e.presence.PresenceClient.awaitPresence;
import static dev.chat.e2e.presence.PresenceClient.subjectOf;
import static dev.chat.e2e.presence.PresenceClient.subscribed;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A gateway node killed with SIGKILL says nothing: no socket closes, no signal is sent. Its users
 * must still be reported offline, to the subscribers on the other node, once its heartbeats have
 * been missing for presence-service's timeout (15 s), and the REST list must agree.
 */
@ExtendWith(TestStackExtension.class)
class GatewayNodeFailureIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	@Test
	void theUsersOfAKilledNodeAreReportedOfflineOnTheOtherNodeWithin20Seconds(Stack stack, Keycloak keycloak)
			throws Exception {
		PresenceClient client = new PresenceClient(stack);
		String alice = keycloak.accessToken("alice");
		String bob = keycloak.accessToken("bob");
		String carol = keycloak.accessToken("carol");
		String room = client.room(alice, bob, carol);
		Component gateway2 = stack.component("gateway-2");
		try (SocketClient watcher = subscribed(client.gateway(), alice, room);
				SocketClient bobs = subscribed(client.gateway2(), bob, room);
				SocketClient carols = subscribed(client.gateway2(), carol, room)) {
			awaitPresence(watcher, Set.of(subjectOf(bob), subjectOf(carol)), "online", WAIT);

			Instant killed = Instant.now();
			assertThat(gateway2.process()).as("gateway-2 is running").isPresent();
			gateway2.process().get().destroyForcibly();

			awaitPresence(watcher, Set.of(subjectOf(bob), subjectOf(carol)), "offline", Duration.ofSeconds(20));
			Duration reported = Duration.between(killed, Instant.now());
			System.out.printf("gateway-2 killed: its users reported offline on gateway-1 after %d ms%n",
					reported.toMillis());
			assertThat(reported).isLessThanOrEqualTo(Duration.ofSeconds(20));
			assertThat(client.online(alice, room)).containsExactly(subjectOf(alice));
		}
		finally {
			// Other tests need both nodes.
			gateway2.stop();
			stack.start(gateway2);
		}
	}

}
