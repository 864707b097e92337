package dev.chat.presence.tracking;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.chat.common.events.PresenceChanged;
import dev.chat.common.events.RoomEvent;
import dev.chat.common.kafka.Topics;
import dev.chat.presence.support.PresenceHarness;
import dev.chat.presence.support.PresenceTopic;
import dev.chat.presence.support.TestGatewayNode;
import dev.chat.test.service.ChatServiceTest;
import dev.chat.test.tokens.TokenMinter;

import static dev.chat.presence.support.PresenceHarness.id;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many users of one room changing at once, on two nodes, handled by several listener threads:
 * updates of the room's online list must not overwrite each other.
 */
@ChatServiceTest
@DirtiesContext
@TestPropertySource(properties = { "chat.presence.consumer-group=presence-concurrency-tests",
		"spring.kafka.consumer.auto-offset-reset=latest", "chat.presence.grace=1s" })
class RoomPresenceConcurrencyIntegrationTests {

	private static final int USERS = 200;

	private static final Duration WAIT = Duration.ofSeconds(90);

	@Autowired
	private ApplicationContext context;

	@Autowired
	private WebTestClient client;

	@Autowired
	private TokenMinter minter;

	@Test
	void twoHundredUsersJoiningAndLeavingOneRoomAtOnceLeaveExactlyTheConnectedOnesOnline() throws Exception {
		PresenceHarness.awaitListening(context);
		String kafka = PresenceHarness.bootstrapServers(context);
		String room = id("room");
		List<String> names = new ArrayList<>();
		for (int i = 0; i < USERS; i++) {
			names.add(id("user" + i));
		}
		// Every other user leaves again right after joining: half by closing the socket, half by
		// unsubscribing.
		Set<String> staying = Set.copyOf(names.stream().filter(name -> names.indexOf(name) % 2 == 0).toList());
		PresenceHarness.publish(kafka, new RoomEvent.RoomCreated(UUID.randomUUID(), 1, Instant.now(), room, room,
				"public", TokenMinter.subjectOf(names.getFirst())));

		try (PresenceTopic presence = new PresenceTopic(kafka, Topics.PRESENCE);
				TestGatewayNode east = TestGatewayNode.start(kafka, Duration.ofSeconds(1));
				TestGatewayNode west = TestGatewayNode.start(kafka, Duration.ofSeconds(1))) {
			ExecutorService clients = Executors.newFixedThreadPool(16);
			List<Future<?>> done = new ArrayList<>();
			for (int i = 0; i < USERS; i++) {
				int index = i;
				String name = names.get(i);
				TestGatewayNode node = index % 3 == 0 ? east : west;
				done.add(clients.submit(() -> {
					TestGatewayNode.Connection connection = node.join(TokenMinter.subjectOf(name), name, room);
					if (index % 4 == 1) {
						node.disconnect(connection);
					}
					else if (index % 4 == 3) {
						node.unsubscribe(connection, room);
					}
				}));
			}
			for (Future<?> future : done) {
				future.get();
			}
			clients.shutdown();

			List<PresenceChanged> changes = presence.awaitChanges(room, USERS + USERS / 2, WAIT);
			presence.assertQuiet(room, USERS + USERS / 2, Duration.ofSeconds(2));
			Map<String, List<String>> byUser = changes.stream()
				.collect(Collectors.groupingBy(PresenceChanged::username,
						Collectors.mapping(PresenceChanged::status, Collectors.toList())));
			assertThat(byUser).hasSize(USERS);
			byUser.forEach((name, statuses) -> assertThat(statuses).as(name)
				.isEqualTo(staying.contains(name) ? List.of(PresenceChanged.ONLINE)
						: List.of(PresenceChanged.ONLINE, PresenceChanged.OFFLINE)));

			String token = minter.token(names.getFirst(), "user");
			Awaitility.await("the online list of the room")
				.atMost(WAIT)
				.untilAsserted(() -> assertThat(onlineIn(room, token)).containsExactlyInAnyOrderElementsOf(staying));
		}
	}

	private List<String> onlineIn(String roomId, String token) {
		return client.get()
			.uri("/api/rooms/{roomId}/presence", roomId)
			.headers(h -> h.setBearerAuth(token))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(PresenceTrackingIntegrationTests.RoomPresence.class)
			.returnResult()
			.getResponseBody()
			.users()
			.stream()
			.map(PresenceTrackingIntegrationTests.RoomPresence.User::username)
			.toList();
	}

}
