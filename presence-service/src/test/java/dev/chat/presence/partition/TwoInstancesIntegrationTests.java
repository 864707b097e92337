package dev.chat.presence.partition;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.awaitility.Awaitility;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.mongodb.core.ReactiveMongoOperations;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;

import dev.chat.common.events.PresenceChanged;
import dev.chat.common.events.RoomEvent;
import dev.chat.common.kafka.Topics;
import dev.chat.presence.node.NodeLiveness;
import dev.chat.presence.support.PresenceHarness;
import dev.chat.presence.support.PresenceTopic;
import dev.chat.presence.support.TestGatewayNode;
import dev.chat.test.kafka.TestKafka;
import dev.chat.test.tokens.TokenMinter;

import static dev.chat.presence.support.PresenceHarness.id;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two presence-service instances in one consumer group on one database (the JVM's FerretDB, where
 * only inserts and deletes by {@code _id} are isolated): each writes for the users of its own
 * partitions, both answer for the whole room, a node restart drops every old connection on both
 * (also on the one that reads none of the node's signals), and when one stops the other takes
 * its partitions over with their running grace periods. Every user comes online once and goes offline once: no lost update, no
 * ghost, no flap.
 */
class TwoInstancesIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final int USERS = 24;

	@Test
	void twoInstancesShareTheUsersExactlyAndOneTakesOverWhenTheOtherStops() {
		String kafka = TestKafka.shared().bootstrapServers();
		String room = id("room");
		String owner = id("owner");
		try (PresenceTopic presence = new PresenceTopic(kafka, Topics.PRESENCE);
				TestGatewayNode node = TestGatewayNode.start(kafka, Duration.ofMillis(500))) {
			ConfigurableApplicationContext first = PresenceHarness.run(commandLine("presence-a"));
			ConfigurableApplicationContext second = PresenceHarness.run(commandLine("presence-b"));
			try {
				awaitSplit(first, second);
				PresenceHarness.publish(kafka, new RoomEvent.RoomCreated(UUID.randomUUID(), 1, Instant.now(), room,
						room, "public", TokenMinter.subjectOf(owner)));
				List<String> users = new ArrayList<>();
				for (int i = 0; i < USERS; i++) {
					String user = id("user" + i);
					users.add(user);
					node.join(TokenMinter.subjectOf(user), user, room);
				}
				presence.awaitChanges(room, USERS, WAIT);
				assertThat(PresenceHarness.onlineUsernames(first, room, owner)).as("online, asked of the first")
					.containsExactlyInAnyOrderElementsOf(users);
				assertThat(PresenceHarness.onlineUsernames(second, room, owner)).as("online, asked of the second")
					.containsExactlyInAnyOrderElementsOf(users);

				// The node restarts, and its users on the partitions of the instance that reads its
				// heartbeats as signals are back on it within the grace period. The other instance
				// learns of the restart only from its heartbeat watcher.
				ConfigurableApplicationContext reader = assigned(first).contains(partitionOf(node.nodeId())) ? first
						: second;
				ConfigurableApplicationContext other = reader == first ? second : first;
				Set<Integer> readerOwned = assigned(reader);
				node.restart();
				List<TestGatewayNode.Connection> back = new ArrayList<>();
				users.stream()
					.filter(user -> readerOwned.contains(partitionOf(TokenMinter.subjectOf(user))))
					.forEach(user -> back.add(node.join(TokenMinter.subjectOf(user), user, room)));
				assertThat(back).as("users back on the reader's partitions").isNotEmpty().hasSizeLessThan(USERS);
				int changed = USERS + (USERS - back.size());
				presence.awaitChanges(room, changed, WAIT);

				// One of them leaves, and the reader stops within the grace period: the other
				// instance takes the partition over and ends the grace period.
				TestGatewayNode.Connection leaving = back.getFirst();
				node.disconnect(leaving);
				int partition = partitionOf(leaving.userId());
				Awaitility.await("the reader remembers the grace period")
					.atMost(WAIT)
					.until(() -> graceRemembered(reader, partition).contains(leaving.userId()));
				reader.close();
				Awaitility.await("the other instance owns every partition")
					.atMost(WAIT)
					.until(() -> assigned(other).size() == TestKafka.PARTITIONS);
				presence.awaitChanges(room, changed + 1, WAIT);

				// The node dies: the remaining instance drops everyone left, in every partition.
				node.silence();
				List<PresenceChanged> changes = presence.awaitChanges(room, 2 * USERS, WAIT);
				presence.assertQuiet(room, 2 * USERS, Duration.ofSeconds(3));

				Map<String, List<String>> byUser = changes.stream()
					.collect(Collectors.groupingBy(PresenceChanged::username,
							Collectors.mapping(PresenceChanged::status, Collectors.toList())));
				assertThat(byUser).as("statuses per user, in order").hasSize(USERS);
				assertThat(byUser.values()).as("each user online once, then offline once")
					.allSatisfy(statuses -> assertThat(statuses)
						.containsExactly(PresenceChanged.ONLINE, PresenceChanged.OFFLINE));
				assertThat(PresenceHarness.onlineUsernames(other, room, owner)).as("nobody left online").isEmpty();
			}
			finally {
				first.close();
				second.close();
			}
		}
		finally {
			PresenceHarness.dropDatabase(getClass());
		}
	}

	private String[] commandLine(String instanceId) {
		// One listener thread each: three partitions split between two instances.
		return PresenceHarness.commandLine(getClass(), "presence-two-instances-tests",
				"--chat.instance-id=" + instanceId, "--chat.presence.consumers=1");
	}

	/** Waits until both listen and the partitions are split between them, none twice. */
	private static void awaitSplit(ConfigurableApplicationContext first, ConfigurableApplicationContext second) {
		Awaitility.await("the partitions split between the two instances")
			.atMost(WAIT)
			.pollInterval(Duration.ofMillis(100))
			.until(() -> {
				Set<Integer> a = assigned(first);
				Set<Integer> b = assigned(second);
				Set<Integer> both = new HashSet<>(a);
				both.addAll(b);
				return !a.isEmpty() && !b.isEmpty() && both.size() == a.size() + b.size()
						&& both.size() == TestKafka.PARTITIONS && listening(first) && listening(second);
			});
	}

	private static boolean listening(ConfigurableApplicationContext context) {
		return context.getBean(NodeLiveness.class).listeningSince() != null;
	}

	/** The partitions of {@code chat.presence.events} the instance's signal listener holds. */
	private static Set<Integer> assigned(ConfigurableApplicationContext context) {
		var container = context.getBean(KafkaListenerEndpointRegistry.class).getListenerContainer("presence-signals");
		var partitions = container == null ? null : container.getAssignedPartitions();
		return partitions == null ? Set.of()
				: partitions.stream().map(TopicPartition::partition).collect(Collectors.toSet());
	}

	/** The users the partition's grace document lists, as stored. */
	private static List<String> graceRemembered(ConfigurableApplicationContext context, int partition) {
		Document grace = context.getBean(ReactiveMongoOperations.class)
			.findById("grace:" + partition, Document.class, "registry")
			.block(Duration.ofSeconds(10));
		return grace == null ? List.of() : grace.getList("users", String.class, List.of());
	}

	/** The partition a user's signals go to: Kafka's default partitioner, by key. */
	private static int partitionOf(String userId) {
		return Utils.toPositive(Utils.murmur2(userId.getBytes(StandardCharsets.UTF_8))) % TestKafka.PARTITIONS;
	}

}
