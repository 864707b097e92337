package dev.chat.e2e.recovery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import dev.chat.e2e.support.ClusterStackExtension;
import dev.chat.e2e.support.Keycloak;
import dev.chat.stack.Component;
import dev.chat.stack.Stack;
import dev.chat.stack.StackConfig;
import dev.chat.test.socket.SocketClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kafka brokers die on the cluster stack (three brokers, replication factor 3,
 * {@code min.insync.replicas=2}, producers with {@code acks=all}): with one of three killed
 * (SIGKILL) and restarted during steady traffic, nothing a client was promised changes; with
 * two down, a send is refused with {@code unavailable} and never acknowledged, and the same sends
 * retried once the brokers are back are stored once each.
 *
 * <p>
 * Run on demand, on the cluster stack ({@code -Dchat.cluster=true}, see the README).
 */
@ExtendWith(ClusterStackExtension.class)
@EnabledIfSystemProperty(named = "chat.cluster", matches = "true")
class BrokerFailureIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(60);

	@Test
	void oneBrokerOfThreeKilledAndRestartedDuringTrafficCostsNothing(Stack stack, Keycloak keycloak) throws Exception {
		StackConfig.Ports ports = stack.config().ports();
		RecoveryApi api = new RecoveryApi(ports.entry(), keycloak);
		Component broker = stack.component("kafka-2");
		List<RoomTraffic> traffic = new ArrayList<>();
		try {
			for (int i = 0; i < 2; i++) {
				String roomId = api.createRoom("alice", List.of("bob", "carol"));
				Map<String, SocketClient> subscribers = new HashMap<>();
				subscribers.put("bob", SocketClient.connect(ports.gateway(), api.token("bob")));
				subscribers.put("carol", SocketClient.connect(ports.gateway2(), api.token("carol")));
				traffic.add(new RoomTraffic(roomId, "broker-" + i,
						() -> SocketClient.connect(ports.entry(), api.token("alice")), subscribers));
			}
			traffic.forEach(RoomTraffic::start);
			awaitFlowing(traffic, 10);

			ProcessHandle process = broker.process().orElseThrow();
			long killedAt = System.nanoTime();
			process.destroyForcibly();
			process.onExit().get(30, TimeUnit.SECONDS);
			int before = traffic.stream().mapToInt(RoomTraffic::deliveredToAll).sum();
			awaitFlowing(traffic, before / traffic.size() + 50);
			long flowingAt = System.nanoTime();
			stack.start(broker);
			long backAt = System.nanoTime();
			int atRestart = traffic.stream().mapToInt(RoomTraffic::deliveredToAll).sum();
			awaitFlowing(traffic, atRestart / traffic.size() + 50);
			for (RoomTraffic room : traffic) {
				room.stopSending();
			}

			int sent = 0;
			int acked = 0;
			int stored = 0;
			for (RoomTraffic room : traffic) {
				Set<String> ackedIds = room.acked().keySet();
				Awaitility.await("every acknowledged message of " + room.roomId() + " delivered")
					.atMost(WAIT)
					.pollInterval(Duration.ofMillis(200))
					.until(() -> room.deliveries().values().stream().allMatch(byId -> byId.keySet().containsAll(ackedIds)));
				List<JsonNode> history = api.history("alice", room.roomId());
				room.assertStoredAndDeliveredOnceInOrder(history);
				sent += room.sent().size();
				acked += ackedIds.size();
				stored += history.size();
			}
			System.out.printf(
					"BROKER kafka-2 SIGKILL: 50 more messages per room flowed %d ms after the kill; restarted and ready "
							+ "%d ms after the kill; largest delivery gap %d ms; sent %d, acked %d, refused %d, stored %d, "
							+ "missing 0, duplicated 0%n",
					millis(flowingAt - killedAt), millis(backAt - killedAt),
					traffic.stream().mapToLong(RoomTraffic::largestGapMillis).max().orElse(0), sent, acked,
					traffic.stream().mapToInt(room -> room.refused().size()).sum(), stored);
		}
		catch (Throwable failure) {
			traffic.forEach(room -> System.out.printf("BROKER %s FAILED: %s%n", room.roomId(), room.summary()));
			throw failure;
		}
		finally {
			for (RoomTraffic room : traffic) {
				room.close();
			}
			if (!broker.isRunning()) {
				stack.start(broker);
			}
		}
	}

	@Test
	void withTwoBrokersDownSendsAreRefusedNeverAcknowledgedAndStoredOnceWhenRetried(Stack stack, Keycloak keycloak)
			throws Exception {
		StackConfig.Ports ports = stack.config().ports();
		RecoveryApi api = new RecoveryApi(ports.entry(), keycloak);
		String roomId = api.createRoom("alice", List.of("bob"));
		List<Component> brokers = List.of(stack.component("kafka-2"), stack.component("kafka-3"));
		try (SocketClient alice = SocketClient.connect(ports.entry(), api.token("alice"))) {
			send(alice, roomId, "before");
			assertThat(alice.next("ack", Duration.ofSeconds(20)).path("clientMsgId").asString()).isEqualTo("before");

			for (Component broker : brokers) {
				ProcessHandle process = broker.process().orElseThrow();
				process.destroyForcibly();
				process.onExit().get(30, TimeUnit.SECONDS);
			}
			List<String> outage = List.of("outage-1", "outage-2", "outage-3");
			outage.forEach(id -> send(alice, roomId, id));
			Set<String> refused = new HashSet<>();
			long begin = System.nanoTime();
			while (refused.size() < outage.size()) {
				JsonNode frame = alice.next(Duration.ofSeconds(30));
				if (frame.path("type").asString().equals("message")) {
					// The echo of "before" (it may come after its ack); none of the outage's may come.
					assertThat(frame.path("clientMsgId").asString()).as("a message during the outage").isEqualTo("before");
					continue;
				}
				assertThat(frame.path("type").asString()).as("a frame during the outage: %s", frame).isEqualTo("error");
				assertThat(frame.path("code").asString()).isEqualTo("unavailable");
				refused.add(frame.path("ref").asString());
			}
			long refusedMillis = millis(System.nanoTime() - begin);
			assertThat(refused).containsExactlyInAnyOrderElementsOf(outage);

			stack.start(brokers.toArray(Component[]::new));
			Set<String> acked = new HashSet<>();
			Awaitility.await("the refused sends, retried, acknowledged")
				.atMost(WAIT)
				.pollInterval(Duration.ofSeconds(1))
				.untilAsserted(() -> {
					// A send still refused (a broker not caught up yet) is sent again, as a client retries.
					outage.stream().filter(id -> !acked.contains(id)).forEach(id -> send(alice, roomId, id));
					while (!acked.containsAll(outage)) {
						JsonNode frame = alice.next(Duration.ofSeconds(6));
						if (frame.path("type").asString().equals("ack")) {
							acked.add(frame.path("clientMsgId").asString());
						}
					}
				});
			Awaitility.await("the retried sends stored")
				.atMost(WAIT)
				.pollInterval(Duration.ofMillis(500))
				.until(() -> api.history("alice", roomId).size() >= 1 + outage.size());
			List<String> stored = api.history("alice", roomId)
				.stream()
				.map(message -> message.path("clientMsgId").asString())
				.toList();
			assertThat(stored).as("stored").containsExactlyInAnyOrder("before", "outage-1", "outage-2", "outage-3");
			System.out.printf("BROKER kafka-2 and kafka-3 SIGKILL: %d sends refused with unavailable within %d ms, "
					+ "0 acknowledged; retried after the restart: %d acknowledged, %d stored, duplicated 0%n",
					refused.size(), refusedMillis, acked.size(), stored.size() - 1);
		}
		finally {
			stack.start(brokers.stream().filter(broker -> !broker.isRunning()).toArray(Component[]::new));
		}
	}

	private static void send(SocketClient socket, String roomId, String clientMsgId) {
		socket.send("{\"type\":\"send\",\"roomId\":\"" + roomId + "\",\"clientMsgId\":\"" + clientMsgId
				+ "\",\"body\":\"broker test " + clientMsgId + "\"}");
	}

	/** Waits until every subscriber of every room has at least {@code count} messages. */
	private static void awaitFlowing(List<RoomTraffic> traffic, int count) {
		Awaitility.await("traffic flowing, " + count + " messages per room")
			.atMost(WAIT)
			.pollInterval(Duration.ofMillis(100))
			.until(() -> traffic.stream().allMatch(room -> room.deliveredToAll() >= count));
	}

	private static long millis(long nanos) {
		return TimeUnit.NANOSECONDS.toMillis(nanos);
	}

}
