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
import static dev.chat.e2e.support.Processes.signal;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A gateway node killed with SIGKILL says nothing: no socket closes, no signal is sent. Its users
 * must still be reported offline, to the subscribers on the other node, once its heartbeats have
 * been missing for presence-service's timeout (15 s), and the REST list must agree. A node that
 * was only frozen (SIGSTOP) is declared dead the same way; when it wakes up (SIGCONT) with its
 * sockets still open, it learns that from its heartbeats' gap and its users are online again
 * without subscribing again.
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

	@Test
	void theUsersOfANodeFrozenPastTheTimeoutGoOfflineAndComeBackWhenItWakesWithoutSubscribingAgain(Stack stack,
			Keycloak keycloak) throws Exception {
		PresenceClient client = new PresenceClient(stack);
		String alice = keycloak.accessToken("alice");
		String bob = keycloak.accessToken("bob");
		String carol = keycloak.accessToken("carol");
		String room = client.room(alice, bob, carol);
		Component gateway2 = stack.component("gateway-2");
		ProcessHandle node = gateway2.process().orElseThrow();
		boolean frozen = false;
		try (SocketClient watcher = subscribed(client.gateway(), alice, room);
				SocketClient bobs = subscribed(client.gateway2(), bob, room);
				SocketClient carols = subscribed(client.gateway2(), carol, room)) {
			awaitPresence(watcher, Set.of(subjectOf(bob), subjectOf(carol)), "online", WAIT);
			// Heard just now: the node drops a socket silent for two ping intervals (40 s), and the
			// freeze below must not be what ends these.
			bobs.send("{\"type\":\"ping\"}");
			carols.send("{\"type\":\"ping\"}");
			bobs.next("pong", WAIT);
			carols.next("pong", WAIT);

			signal(node, "STOP");
			frozen = true;
			awaitPresence(watcher, Set.of(subjectOf(bob), subjectOf(carol)), "offline", Duration.ofSeconds(25));
			Instant woken = Instant.now();
			signal(node, "CONT");
			frozen = false;

			awaitPresence(watcher, Set.of(subjectOf(bob), subjectOf(carol)), "online", Duration.ofSeconds(20));
			System.out.printf("gateway-2 frozen past the timeout: its users online again %d ms after it woke%n",
					Duration.between(woken, Instant.now()).toMillis());
			assertThat(bobs.isOpen()).as("bob's socket on the woken node").isTrue();
			assertThat(carols.isOpen()).as("carol's socket on the woken node").isTrue();
			assertThat(client.online(alice, room)).containsExactlyInAnyOrder(subjectOf(alice), subjectOf(bob),
					subjectOf(carol));
		}
		finally {
			if (frozen) {
				signal(node, "CONT");
			}
		}
	}

}
