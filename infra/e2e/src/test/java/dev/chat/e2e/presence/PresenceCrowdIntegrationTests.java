package dev.chat.e2e.presence;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.chat.e2e.support.Keycloak;
import dev.chat.e2e.support.TestStackExtension;
import dev.chat.stack.Stack;
import dev.chat.test.socket.SocketClient;

import static dev.chat.e2e.presence.PresenceClient.subjectOf;
import static dev.chat.e2e.presence.PresenceClient.subscribed;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * 200 registered users of one room, on both gateway nodes, all subscribing at once; right away a
 * quarter closes its socket and a quarter unsubscribes. The REST list must end as exactly the
 * users still subscribed, and stay so past the grace period.
 */
@ExtendWith(TestStackExtension.class)
class PresenceCrowdIntegrationTests {

	private static final int USERS = 200;

	@Test
	void twoHundredUsersJoiningAndLeavingAtOnceLeaveExactlyTheSubscribedOnesOnline(Stack stack, Keycloak keycloak)
			throws Exception {
		PresenceClient client = new PresenceClient(stack);
		String alice = keycloak.accessToken("alice");
		String room = client.room(alice);
		ExecutorService clients = Executors.newFixedThreadPool(8);
		List<SocketClient> sockets = new ArrayList<>();
		try {
			List<String> tokens = all(IntStream.range(0, USERS).mapToObj(i -> clients.submit(() -> {
				String token = client.newUser("crowd");
				client.join(token, room);
				return token;
			})).toList());

			// Users 0, 4, 8, ... close their socket again; 1, 5, 9, ... unsubscribe; the rest stay.
			List<SocketClient> opened = all(IntStream.range(0, USERS).mapToObj(i -> clients.submit(() -> {
				int port = i % 2 == 0 ? client.gateway() : client.gateway2();
				SocketClient socket = subscribed(port, tokens.get(i), room);
				switch (i % 4) {
					case 0 -> socket.close();
					case 1 -> socket.send("{\"type\":\"unsubscribe\",\"roomId\":\"" + room + "\"}");
					default -> {
					}
				}
				return socket;
			})).toList());
			sockets.addAll(opened);
			Set<String> staying = Set.copyOf(
					IntStream.range(0, USERS).filter(i -> i % 4 >= 2).mapToObj(i -> subjectOf(tokens.get(i))).toList());

			Awaitility.await("the REST list equals the users still subscribed")
				.atMost(Duration.ofSeconds(60))
				.pollInterval(Duration.ofMillis(500))
				.untilAsserted(() -> assertThat(client.online(alice, room)).containsExactlyInAnyOrderElementsOf(staying));
			// Past the grace period (2 s) nobody comes back or drops out.
			Awaitility.await("the list stays so past the grace period")
				.during(Duration.ofSeconds(4))
				.atMost(Duration.ofSeconds(10))
				.pollInterval(Duration.ofMillis(500))
				.untilAsserted(() -> assertThat(client.online(alice, room)).containsExactlyInAnyOrderElementsOf(staying));
		}
		finally {
			sockets.forEach(SocketClient::close);
			clients.shutdownNow();
		}
	}

	private static <T> List<T> all(List<Future<T>> futures) throws Exception {
		List<T> results = new ArrayList<>();
		for (Future<T> future : futures) {
			results.add(future.get());
		}
		return results;
	}

}
