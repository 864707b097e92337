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
import dev.chat.presence.node.NodeRegistry;
import dev.chat.presence.support.PresenceHarness;
import dev.chat.presence.support.PresenceTopic;
import dev.chat.presence.support.TestGatewayNode;
import dev.chat.test.service.ChatServiceTest;
import dev.chat.test.tokens.TokenMinter;

import static dev.chat.presence.support.PresenceHarness.id;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Gateway nodes that die or restart, with a node timeout of 3 s: a silent node's users go
 * offline, a new incarnation drops the old one's connections, late signals of a retired
 * incarnation change nothing.
 */
@ChatServiceTest
@DirtiesContext
@TestPropertySource(properties = { "chat.presence.consumer-group=presence-node-failure-tests",
		"spring.kafka.consumer.auto-offset-reset=latest", "chat.presence.grace=1s",
		"chat.presence.nodes.timeout=3s", "chat.presence.nodes.check-interval=200ms" })
class NodeFailureIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(3);

	private static final Duration GRACE = Duration.ofSeconds(1);

	private static final Duration WAIT = Duration.ofSeconds(20);

	@Autowired
	private ApplicationContext context;

	@Autowired
	private WebTestClient client;

	@Autowired
	private TokenMinter minter;

	private TestGatewayNode doomed;

	private TestGatewayNode healthy;

	private PresenceTopic presence;

	@BeforeEach
	void listen() {
		PresenceHarness.awaitListening(context);
		String kafka = PresenceHarness.bootstrapServers(context);
		presence = new PresenceTopic(kafka, Topics.PRESENCE);
		doomed = TestGatewayNode.start(kafka, Duration.ofMillis(500));
		healthy = TestGatewayNode.start(kafka, Duration.ofMillis(500));
	}

	@AfterEach
	void close() {
		doomed.close();
		healthy.close();
		presence.close();
	}

	@Test
	void theUsersOfANodeWhoseHeartbeatsStopAreReportedOfflineAndNoOneElse() {
		String room = id("room");
		User ann = user("ann");
		User ben = user("ben");
		User cat = user("cat");
		User dan = user("dan");
		member(room, cat, ann, ben, dan);
		doomed.join(ann.id, ann.name, room);
		doomed.join(ben.id, ben.name, room);
		doomed.join(dan.id, dan.name, room);
		healthy.join(dan.id, dan.name, room);
		healthy.join(cat.id, cat.name, room);
		presence.awaitChanges(room, 4, WAIT);

		Instant silenced = Instant.now();
		doomed.silence();

		List<PresenceChanged> changes = presence.awaitChanges(room, 6, WAIT);
		assertThat(Duration.between(silenced, Instant.now())).isGreaterThanOrEqualTo(TIMEOUT.minusMillis(500));
		assertThat(changes.subList(4, 6)).allSatisfy(
				change -> assertThat(change.status()).isEqualTo(PresenceChanged.OFFLINE))
			.extracting(PresenceChanged::userId)
			.containsExactlyInAnyOrder(ann.id, ben.id);
		presence.assertQuiet(room, 6, Duration.ofSeconds(2));
		assertThat(onlineIn(room, cat)).containsExactlyInAnyOrder(cat.id, dan.id);
	}

	@Test
	void aNewIncarnationOfANodeDropsTheConnectionsOfTheOldOne() {
		String room = id("room");
		User eva = user("eva");
		member(room, eva);
		doomed.join(eva.id, eva.name, room);
		presence.awaitChanges(room, 1, WAIT);

		doomed.restart();

		List<PresenceChanged> changes = presence.awaitChanges(room, 2, WAIT);
		assertThat(changes.get(1).status()).isEqualTo(PresenceChanged.OFFLINE);
		assertThat(changes.get(1).userId()).isEqualTo(eva.id);
		assertThat(onlineIn(room, eva)).isEmpty();
	}

	@Test
	void aUserBackOnTheRestartedNodeWithinTheGracePeriodDoesNotFlap() {
		String room = id("room");
		User fay = user("fay");
		doomed.join(fay.id, fay.name, room);
		presence.awaitChanges(room, 1, WAIT);

		doomed.restart();
		doomed.join(fay.id, fay.name, room);

		presence.assertQuiet(room, 1, GRACE.plusSeconds(3));
	}

	@Test
	void lateSignalsOfAReplacedIncarnationChangeNothing() {
		String room = id("room");
		User gil = user("gil");
		TestGatewayNode.Connection old = doomed.connect(gil.id, gil.name);
		doomed.restart();
		// The heartbeat (keyed by node) and the late signal (keyed by user) travel on different
		// partitions: "late" means read after the new incarnation is known, so wait for that.
		NodeRegistry registry = context.getBean(NodeRegistry.class);
		org.awaitility.Awaitility.await("the new incarnation of " + doomed.nodeId())
			.atMost(WAIT)
			.until(() -> registry.isCurrent(doomed.nodeId(), doomed.incarnation()));

		doomed.subscribe(old, room);

		presence.assertQuiet(room, 0, Duration.ofSeconds(2));
	}

	@Test
	void aNodeDeclaredDeadIsAcceptedAgainWhenItsHeartbeatsResume() {
		String room = id("room");
		User hal = user("hal");
		User ida = user("ida");
		TestGatewayNode.Connection before = doomed.join(hal.id, hal.name, room);
		presence.awaitChanges(room, 1, WAIT);
		doomed.silence();
		presence.awaitChanges(room, 2, WAIT);

		// Signals the dead incarnation sent before it was declared dead change nothing...
		doomed.subscribe(before, room);
		presence.assertQuiet(room, 2, Duration.ofSeconds(1));
		// ...but once it proves alive again, what its clients do counts again.
		doomed.resume();
		org.awaitility.Awaitility.await().atMost(WAIT).untilAsserted(() -> {
			doomed.join(ida.id, ida.name, room);
			assertThat(presence.changes(room)).extracting(PresenceChanged::userId).contains(ida.id);
		});
	}

	private record User(String id, String name) {
	}

	private static User user(String prefix) {
		String name = id(prefix);
		return new User(TokenMinter.subjectOf(name), name);
	}

	private void member(String roomId, User owner, User... others) {
		String kafka = PresenceHarness.bootstrapServers(context);
		PresenceHarness.publish(kafka, new RoomEvent.RoomCreated(UUID.randomUUID(), 1, Instant.now(), roomId, roomId,
				"public", owner.id));
		for (User other : others) {
			PresenceHarness.publish(kafka,
					new RoomEvent.MemberJoined(UUID.randomUUID(), 1, Instant.now(), roomId, other.id, "member"));
		}
	}

	private List<String> onlineIn(String roomId, User asker) {
		String token = minter.token(asker.name, "user");
		org.awaitility.Awaitility.await("membership of " + asker.name)
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
			.expectBody(PresenceTrackingIntegrationTests.RoomPresence.class)
			.returnResult()
			.getResponseBody()
			.users()
			.stream()
			.map(PresenceTrackingIntegrationTests.RoomPresence.User::userId)
			.toList();
	}

}
