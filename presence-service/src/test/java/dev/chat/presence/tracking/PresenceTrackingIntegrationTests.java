package dev.chat.presence.tracking;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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
 * presence-service driven by gateway signals on the real Kafka, with its state in FerretDB:
 * several devices, the grace period, unsubscribing, and records it cannot read.
 */
@ChatServiceTest
@DirtiesContext
@TestPropertySource(properties = { "chat.presence.consumer-group=presence-tracking-tests",
		"spring.kafka.consumer.auto-offset-reset=latest", "chat.presence.grace=2s" })
class PresenceTrackingIntegrationTests {

	private static final Duration GRACE = Duration.ofSeconds(2);

	private static final Duration WAIT = Duration.ofSeconds(20);

	@Autowired
	private ApplicationContext context;

	@Autowired
	private WebTestClient client;

	@Autowired
	private TokenMinter minter;

	private TestGatewayNode node;

	private TestGatewayNode otherNode;

	private PresenceTopic presence;

	@BeforeEach
	void listen() {
		PresenceHarness.awaitListening(context);
		String kafka = PresenceHarness.bootstrapServers(context);
		presence = new PresenceTopic(kafka, Topics.PRESENCE);
		node = TestGatewayNode.start(kafka, Duration.ofSeconds(1));
		otherNode = TestGatewayNode.start(kafka, Duration.ofSeconds(1));
	}

	@AfterEach
	void close() {
		node.close();
		otherNode.close();
		presence.close();
	}

	@Test
	void aUserOnTwoDevicesStaysOnlineWhileOneIsOpenAndGoesOfflineOnceWhenBothClose() {
		String room = id("room");
		String username = id("dana");
		String userId = TokenMinter.subjectOf(username);
		TestGatewayNode.Connection phone = node.join(userId, username, room);
		TestGatewayNode.Connection laptop = otherNode.join(userId, username, room);

		List<PresenceChanged> online = presence.awaitChanges(room, 1, WAIT);
		assertThat(online).singleElement().satisfies(change -> {
			assertThat(change.userId()).isEqualTo(userId);
			assertThat(change.username()).isEqualTo(username);
			assertThat(change.status()).isEqualTo(PresenceChanged.ONLINE);
		});

		node.disconnect(phone);
		presence.assertQuiet(room, 1, GRACE.plusSeconds(2));

		otherNode.disconnect(laptop);
		List<PresenceChanged> changes = presence.awaitChanges(room, 2, WAIT);
		assertThat(changes).extracting(PresenceChanged::status)
			.containsExactly(PresenceChanged.ONLINE, PresenceChanged.OFFLINE);
		presence.assertQuiet(room, 2, GRACE.plusSeconds(1));
	}

	@Test
	void aReconnectWithinTheGracePeriodFromAnotherNodePublishesNothing() {
		String room = id("room");
		String username = id("eve");
		String userId = TokenMinter.subjectOf(username);
		TestGatewayNode.Connection first = node.join(userId, username, room);
		presence.awaitChanges(room, 1, WAIT);

		node.disconnect(first);
		otherNode.join(userId, username, room);

		presence.assertQuiet(room, 1, GRACE.plusSeconds(2));
		PresenceChanged online = presence.changes(room).getFirst();
		assertThat(online.status()).isEqualTo(PresenceChanged.ONLINE);
		member(room, username);
		assertThat(onlineIn(room, username)).containsExactly(userId);
	}

	@Test
	void offlineIsPublishedOnlyAfterTheGracePeriodAndDatesFromTheDisconnect() {
		String room = id("room");
		String username = id("finn");
		String userId = TokenMinter.subjectOf(username);
		TestGatewayNode.Connection connection = node.join(userId, username, room);
		presence.awaitChanges(room, 1, WAIT);

		Instant closed = Instant.now();
		node.disconnect(connection);
		PresenceChanged offline = presence.awaitChanges(room, 2, WAIT).get(1);
		Instant seen = Instant.now();

		assertThat(offline.status()).isEqualTo(PresenceChanged.OFFLINE);
		assertThat(Duration.between(closed, seen)).isGreaterThanOrEqualTo(GRACE);
		assertThat(offline.since()).isBetween(closed.minusSeconds(1), closed.plus(GRACE));
	}

	@Test
	void unsubscribingFromOneRoomKeepsTheUserOnlineInTheOthers() {
		String lobby = id("room");
		String kitchen = id("room");
		String username = id("gus");
		String userId = TokenMinter.subjectOf(username);
		TestGatewayNode.Connection connection = node.join(userId, username, lobby);
		node.subscribe(connection, kitchen);
		presence.awaitChanges(lobby, 1, WAIT);
		presence.awaitChanges(kitchen, 1, WAIT);

		node.unsubscribe(connection, kitchen);

		assertThat(presence.awaitChanges(kitchen, 2, WAIT)).extracting(PresenceChanged::status)
			.containsExactly(PresenceChanged.ONLINE, PresenceChanged.OFFLINE);
		presence.assertQuiet(lobby, 1, Duration.ofSeconds(1));
		member(lobby, username);
		assertThat(onlineIn(lobby, username)).containsExactly(userId);
	}

	@Test
	void subscribingTwiceOrFromASecondDevicePublishesOnlineOnce() {
		String room = id("room");
		String username = id("hal");
		String userId = TokenMinter.subjectOf(username);
		TestGatewayNode.Connection connection = node.join(userId, username, room);
		node.subscribe(connection, room);
		otherNode.join(userId, username, room);

		presence.awaitChanges(room, 1, WAIT);
		presence.assertQuiet(room, 1, Duration.ofSeconds(2));
	}

	@Test
	void aUserIdWithCharactersThatMeanSomethingInFieldPathsIsListedAsItIs() {
		String room = id("room");
		String owner = id("owen");
		String userId = "first.last$" + UUID.randomUUID() + "%2E";
		node.join(userId, "first.last", room);
		presence.awaitChanges(room, 1, WAIT);

		member(room, owner);
		assertThat(onlineIn(room, owner)).containsExactly(userId);
	}

	@Test
	void unreadableAndInvalidSignalsGoToTheDeadLetterTopicAndTheNextSignalIsApplied() {
		String username = id("ivy");
		String userId = TokenMinter.subjectOf(username);
		String room = id("room");
		try (PresenceTopic deadLetters = new PresenceTopic(PresenceHarness.bootstrapServers(context),
				Topics.deadLetter(Topics.PRESENCE_EVENTS))) {
			node.sendRaw(userId, "{not json");
			node.sendRaw(userId, """
					{"type":"room.subscribed","nodeId":"%s","incarnation":"%s","connectionId":"c1","userId":"%s","roomId":"no:colons"}"""
				.formatted(node.nodeId(), node.incarnation(), userId));
			node.join(userId, username, room);

			org.awaitility.Awaitility.await()
				.atMost(WAIT)
				.untilAsserted(() -> assertThat(deadLetters.values(userId)).hasSize(2));
			assertThat(deadLetters.values(userId).getFirst()).isEqualTo("{not json");
			assertThat(deadLetters.values(userId).get(1)).contains("no:colons");
			assertThat(presence.awaitChanges(room, 1, WAIT)).singleElement()
				.extracting(PresenceChanged::status)
				.isEqualTo(PresenceChanged.ONLINE);
		}
	}

	private void member(String roomId, String username) {
		PresenceHarness.publish(PresenceHarness.bootstrapServers(context), new RoomEvent.RoomCreated(UUID.randomUUID(),
				1, Instant.now(), roomId, roomId, "public", TokenMinter.subjectOf(username)));
	}

	/** The user ids the REST endpoint lists, asked as {@code username}, once they are a member. */
	private List<String> onlineIn(String roomId, String username) {
		String token = minter.token(username, "user");
		org.awaitility.Awaitility.await("membership of " + username)
			.atMost(WAIT)
			.until(() -> client.get()
				.uri("/api/rooms/{roomId}/presence", roomId)
				.headers(h -> h.setBearerAuth(token))
				.exchange()
				.returnResult(String.class)
				.getStatus()
				.value() == 200);
		return client.get()
			.uri("/api/rooms/{roomId}/presence", roomId)
			.headers(h -> h.setBearerAuth(token))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(RoomPresence.class)
			.returnResult()
			.getResponseBody()
			.users()
			.stream()
			.map(RoomPresence.User::userId)
			.toList();
	}

	record RoomPresence(String roomId, List<User> users) {

		record User(String userId, String username, Instant since) {
		}

	}

}
