package dev.chat.e2e.recovery;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

import dev.chat.common.kafka.Topics;
import dev.chat.e2e.support.ClusterStackExtension;
import dev.chat.e2e.support.Keycloak;
import dev.chat.stack.Component;
import dev.chat.stack.Stack;
import dev.chat.stack.StackConfig;
import dev.chat.test.socket.SocketClient;

import static dev.chat.e2e.support.Processes.logLines;
import static dev.chat.e2e.support.Processes.signal;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances of message-service on the cluster stack ({@link StackConfig#forClusterTests}:
 * three brokers, two gateway nodes behind nginx), steady traffic in rooms sequenced by each of
 * them, and one instance is lost: killed (SIGKILL, then started again), or frozen past the
 * session timeout (SIGSTOP until the group has handed its partitions to the other instance,
 * then SIGCONT: a zombie that wakes up with whatever batch it held, and must write nothing more
 * for partitions it lost). Every acknowledged message is stored once at gap-free seqs and
 * reaches each subscriber once, in seq order. The failover gap and what the fence did are
 * printed.
 *
 * <p>
 * Run on demand, on the cluster stack ({@code -Dchat.cluster=true}, see the README).
 */
@ExtendWith(ClusterStackExtension.class)
@EnabledIfSystemProperty(named = "chat.cluster", matches = "true")
class MessageServiceFailoverIntegrationTests {

	private static final String GROUP = "message-service";

	private static final String LOST = "message-service-2";

	/** Rooms sequenced by each instance (chosen by their partition). */
	private static final int ROOMS_EACH = 2;

	private static final Duration AFTER_RECOVERY = Duration.ofSeconds(10);

	private enum Failure {

		SIGKILL, SIGSTOP

	}

	@ParameterizedTest
	@EnumSource(Failure.class)
	void losingAnInstanceMidTrafficLosesAndDuplicatesNothing(Failure failure, Stack stack, Keycloak keycloak)
			throws Exception {
		StackConfig.Ports ports = stack.config().ports();
		RecoveryApi api = new RecoveryApi(ports.entry(), keycloak);
		Component lost = stack.component(LOST);
		List<RoomTraffic> traffic = new ArrayList<>();
		try (ConsumerGroups groups = new ConsumerGroups(stack.config().kafkaBootstrap())) {
			Map<String, Boolean> rooms = roomsOnBothInstances(api, groups);
			for (Map.Entry<String, Boolean> room : rooms.entrySet()) {
				Map<String, SocketClient> subscribers = new HashMap<>();
				subscribers.put("bob", SocketClient.connect(ports.gateway(), api.token("bob")));
				subscribers.put("carol", SocketClient.connect(ports.gateway2(), api.token("carol")));
				traffic.add(new RoomTraffic(room.getKey(), failure + "-" + traffic.size(),
						() -> SocketClient.connect(ports.entry(), api.token("alice")), subscribers));
			}
			List<RoomTraffic> onLost = new ArrayList<>();
			for (int i = 0; i < traffic.size(); i++) {
				if (rooms.get(traffic.get(i).roomId())) {
					onLost.add(traffic.get(i));
				}
			}
			traffic.forEach(RoomTraffic::start);
			Awaitility.await("traffic flowing in every room")
				.atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(100))
				.until(() -> traffic.stream().allMatch(room -> room.deliveredToAll() >= 10));
			long fencedBefore = logLines(lost, "partition fenced");

			ProcessHandle process = lost.process().orElseThrow();
			long lostAt = System.nanoTime();
			if (failure == Failure.SIGKILL) {
				process.destroyForcibly();
				process.onExit().get(30, TimeUnit.SECONDS);
			}
			else {
				signal(process, "STOP");
			}
			// The other instance owns every partition once the broker has given up on this one.
			Awaitility.await("the partitions of " + LOST + " handed over")
				.atMost(Duration.ofSeconds(60))
				.pollInterval(Duration.ofMillis(200))
				.until(() -> owners(groups.describe(GROUP)).values().stream().noneMatch(id -> id.startsWith(LOST + "-")));
			long handedOverAt = System.nanoTime();
			int deliveredAtHandover = onLost.stream().mapToInt(RoomTraffic::deliveredToAll).sum();
			Awaitility.await("the rooms of " + LOST + " flowing again")
				.atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(100))
				.until(() -> onLost.stream().mapToInt(RoomTraffic::deliveredToAll).sum()
						>= deliveredAtHandover + 10 * onLost.size());
			long flowingAt = System.nanoTime();
			if (failure == Failure.SIGKILL) {
				stack.start(lost);
			}
			else {
				signal(process, "CONT");
			}
			Awaitility.await(LOST + " back in the group")
				.atMost(Duration.ofSeconds(60))
				.pollInterval(Duration.ofMillis(200))
				.until(() -> owners(groups.describe(GROUP)).values().stream().anyMatch(id -> id.startsWith(LOST + "-")));
			long backAt = System.nanoTime();
			Awaitility.await("traffic after the recovery")
				.atMost(AFTER_RECOVERY.plusSeconds(5))
				.pollInterval(Duration.ofMillis(100))
				.until(() -> System.nanoTime() - backAt > AFTER_RECOVERY.toNanos());
			for (RoomTraffic room : traffic) {
				room.stopSending();
			}

			int acked = 0;
			int stored = 0;
			for (RoomTraffic room : traffic) {
				Set<String> ackedIds = room.acked().keySet();
				Awaitility.await("every acknowledged message of " + room.roomId() + " delivered")
					.atMost(Duration.ofSeconds(60))
					.pollInterval(Duration.ofMillis(200))
					.until(() -> room.deliveries().values().stream().allMatch(byId -> byId.keySet().containsAll(ackedIds)));
				List<JsonNode> history = api.history("alice", room.roomId());
				room.assertStoredAndDeliveredOnceInOrder(history);
				acked += ackedIds.size();
				stored += history.size();
			}
			System.out.printf(
					"FAILOVER %s of %s: handed over %d ms after the failure; its rooms flowing again %d ms after it; "
							+ "back in the group %d ms after the failure; largest delivery gap in its rooms %d ms; "
							+ "rooms %d (%d on %s); acked %d, stored %d, duplicated 0; fence: %d partitions fenced, %d taken%n",
					failure, LOST, millis(handedOverAt - lostAt), millis(flowingAt - handedOverAt),
					millis(backAt - lostAt), onLost.stream().mapToLong(RoomTraffic::largestGapMillis).max().orElse(0), traffic.size(), onLost.size(), LOST, acked, stored,
					logLines(lost, "partition fenced") - fencedBefore, logLines(lost, "partition taken"));
		}
		catch (Throwable failed) {
			traffic.forEach(room -> System.out.printf("FAILOVER %s %s FAILED: %s%n", failure, room.roomId(), room.summary()));
			throw failed;
		}
		finally {
			for (RoomTraffic room : traffic) {
				room.close();
			}
			if (failure == Failure.SIGSTOP && lost.process().isPresent()) {
				signal(lost.process().get(), "CONT");
			}
			if (!lost.isRunning()) {
				stack.start(lost);
			}
		}
	}

	/**
	 * New rooms, {@link #ROOMS_EACH} on partitions of each instance: room id → whether
	 * {@link #LOST} sequences it.
	 */
	private static Map<String, Boolean> roomsOnBothInstances(RecoveryApi api, ConsumerGroups groups)
			throws Exception {
		Awaitility.await("both instances owning inbound partitions")
			.atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> owners(groups.describe(GROUP)).values().stream().anyMatch(id -> id.startsWith(LOST + "-")));
		Map<String, String> owners = owners(groups.describe(GROUP));
		int partitions = owners.size();
		Map<String, Boolean> rooms = new java.util.LinkedHashMap<>();
		int[] count = new int[2];
		for (int attempt = 0; attempt < 40 && (count[0] < ROOMS_EACH || count[1] < ROOMS_EACH); attempt++) {
			String roomId = api.createRoom("alice", List.of("bob", "carol"));
			int partition = Utils.toPositive(Utils.murmur2(roomId.getBytes(StandardCharsets.UTF_8))) % partitions;
			boolean onLost = owners.get(String.valueOf(partition)).startsWith(LOST + "-");
			if (count[onLost ? 1 : 0] < ROOMS_EACH) {
				count[onLost ? 1 : 0]++;
				rooms.put(roomId, onLost);
			}
		}
		assertThat(count).as("rooms on each instance").containsExactly(ROOMS_EACH, ROOMS_EACH);
		return rooms;
	}

	/** The owner (its group.instance.id) of each partition of the inbound topic, by partition number. */
	private static Map<String, String> owners(ConsumerGroupDescription group) {
		Map<String, String> owners = new HashMap<>();
		for (MemberDescription member : group.members()) {
			for (TopicPartition partition : member.assignment().topicPartitions()) {
				if (partition.topic().equals(Topics.MESSAGES_INBOUND)) {
					owners.put(String.valueOf(partition.partition()), member.groupInstanceId().orElse(member.consumerId()));
				}
			}
		}
		return owners;
	}

	private static long millis(long nanos) {
		return TimeUnit.NANOSECONDS.toMillis(nanos);
	}

}
