package dev.chat.presence.tracking;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import dev.chat.common.events.PresenceChanged;
import dev.chat.common.events.RoomEvent;
import dev.chat.common.kafka.Topics;
import dev.chat.presence.support.PresenceHarness;
import dev.chat.presence.support.PresenceTopic;
import dev.chat.presence.support.TestGatewayNode;
import dev.chat.test.kafka.TestKafka;
import dev.chat.test.tokens.TokenMinter;

import static dev.chat.presence.support.PresenceHarness.id;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * presence-service stopped and started again on the same database and consumer group, while the
 * gateways go on: its state is back, nobody flaps, a grace period that was running ends as it
 * would have, signals sent while it was down are applied, and a node that died meanwhile is
 * declared dead only after a full timeout from the restart.
 *
 * <p>
 * The same real components as every {@code @ChatServiceTest} (the JVM's FerretDB with a database
 * of this class's own, the embedded Kafka, the token minter), but the test runs the application
 * itself, twice: a context managed by Spring's test framework cannot be closed and opened again
 * within a test.
 */
class PresenceRestartIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(3);

	private static final Duration WAIT = Duration.ofSeconds(30);

	@Test
	void aRestartedServiceHasItsStateBackAndNoUserFlaps() {
		String[] configuration = PresenceHarness.commandLine(getClass(), "presence-restart-tests");
		String kafka = TestKafka.shared().bootstrapServers();
		String room = id("room");
		String amy = id("amy");
		String bob = id("bob");
		String cy = id("cy");
		String dee = id("dee");
		String eli = id("eli");
		try (PresenceTopic presence = new PresenceTopic(kafka, Topics.PRESENCE)) {
			ConfigurableApplicationContext first = start(configuration);
			PresenceHarness.publish(kafka, new RoomEvent.RoomCreated(UUID.randomUUID(), 1, Instant.now(), room, room,
					"public", subject(amy)));
			try (TestGatewayNode node = TestGatewayNode.start(kafka, Duration.ofMillis(500));
					TestGatewayNode dying = TestGatewayNode.start(kafka, Duration.ofMillis(500))) {
				node.join(subject(amy), amy, room);
				dying.join(subject(amy), amy, room);
				node.join(subject(bob), bob, room);
				TestGatewayNode.Connection leaving = node.join(subject(cy), cy, room);
				dying.join(subject(eli), eli, room);
				presence.awaitChanges(room, 4, WAIT);

				// cy's grace period is running when the service stops.
				node.disconnect(leaving);
				first.close();

				// While it is down: dee connects, and the second node dies.
				node.join(subject(dee), dee, room);
				dying.silence();
				Instant silenced = Instant.now();

				try (ConfigurableApplicationContext restarted = start(configuration)) {
					List<PresenceChanged> changes = presence.awaitChanges(room, 7, WAIT);
					presence.assertQuiet(room, 7, TIMEOUT.plusSeconds(2));
					assertThat(changes.subList(0, 4)).extracting(PresenceChanged::status)
						.containsOnly(PresenceChanged.ONLINE);
					assertThat(changes.subList(4, 7)).extracting(change -> change.username() + " " + change.status())
						.containsExactlyInAnyOrder(cy + " offline", dee + " online", eli + " offline");
					// amy had a socket on the dead node too, but still has one on the live node.
					assertThat(changes).filteredOn(change -> change.username().equals(amy)).hasSize(1);
					assertThat(Duration.between(silenced, Instant.now())).isGreaterThan(TIMEOUT);

					assertThat(PresenceHarness.onlineUsernames(restarted, room, amy))
						.containsExactlyInAnyOrder(amy, bob, dee);
				}
			}
			finally {
				first.close();
			}
		}
		finally {
			PresenceHarness.dropDatabase(getClass());
		}
	}

	private static ConfigurableApplicationContext start(String[] configuration) {
		ConfigurableApplicationContext context = PresenceHarness.run(configuration);
		PresenceHarness.awaitListening(context);
		return context;
	}

	private static String subject(String username) {
		return TokenMinter.subjectOf(username);
	}

}
