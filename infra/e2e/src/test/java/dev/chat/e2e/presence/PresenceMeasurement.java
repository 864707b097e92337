package dev.chat.e2e.presence;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.chat.common.events.PresenceSignal;
import dev.chat.common.kafka.Topics;
import dev.chat.e2e.support.Keycloak;
import dev.chat.e2e.support.TestStackExtension;
import dev.chat.stack.Stack;
import dev.chat.test.socket.SocketClient;

import static dev.chat.e2e.presence.PresenceClient.awaitPresence;
import static dev.chat.e2e.presence.PresenceClient.subjectOf;
import static dev.chat.e2e.presence.PresenceClient.subscribed;

/**
 * Presence on the local test stack, measured and printed (no assertions: the numbers depend on
 * the machine). Not part of the regular suite; it runs only when asked for:
 *
 * <pre>
 * CHAT_TEST_STACK_DIR=.local/test-stack-presence CHAT_TEST_STACK_OFFSET=15000 ./mvnw -B -o verify -pl infra/e2e \
 *     -Dtest=PresenceMeasurement -Dchat.measure=presence -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * <ul>
 * <li>Offline latency: bob's socket on gateway-2 closes; how long until alice's socket on the
 * other node receives bob's {@code offline} frame. This includes the grace period (2 s), which
 * is most of it, by design: a reconnect within it would show nothing.
 * <li>Throughput: connect, subscribe and disconnect signals of many users of one simulated node
 * are written straight to {@code chat.presence.events}; measured until presence-service has
 * committed all of them (its consumer group's offsets reach the end).
 * </ul>
 */
@ExtendWith(TestStackExtension.class)
@EnabledIfSystemProperty(named = "chat.measure", matches = "presence")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PresenceMeasurement {

	private static final int TRIALS = Integer.getInteger("chat.measure.trials", 50);

	private static final int USERS = Integer.getInteger("chat.measure.users", 3000);

	private static final Duration WAIT = Duration.ofSeconds(20);

	@Test
	@Order(1)
	void offlineLatencyAcrossNodes(Stack stack, Keycloak keycloak) {
		PresenceClient client = new PresenceClient(stack);
		String alice = keycloak.accessToken("alice");
		String bob = keycloak.accessToken("bob");
		String room = client.room(alice, bob);
		String bobId = subjectOf(bob);
		List<Long> millis = new ArrayList<>();
		SocketClient watcher = subscribed(client.gateway(), alice, room);
		try {
			for (int trial = 0; trial < TRIALS; trial++) {
				// Tokens live 5 minutes: a fresh watcher and token now and then.
				if (trial > 0 && trial % 20 == 0) {
					watcher.close();
					alice = keycloak.accessToken("alice");
					bob = keycloak.accessToken("bob");
					watcher = subscribed(client.gateway(), alice, room);
				}
				SocketClient socket = subscribed(client.gateway2(), bob, room);
				awaitPresence(watcher, bobId, "online", WAIT);
				long closed = System.nanoTime();
				socket.close();
				awaitPresence(watcher, bobId, "offline", WAIT);
				millis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closed));
			}
		}
		finally {
			watcher.close();
		}
		Collections.sort(millis);
		System.out.printf("presence offline latency, socket close on gateway-2 to offline frame on gateway-1,"
				+ " grace period (2 s) included: trials=%d median=%d ms p99=%d ms min=%d ms max=%d ms%n",
				millis.size(), percentile(millis, 50), percentile(millis, 99), millis.getFirst(), millis.getLast());
	}

	@Test
	@Order(2)
	void signalThroughput(Stack stack) {
		String bootstrap = stack.config().kafkaBootstrap();
		String nodeId = "measure-" + UUID.randomUUID().toString().substring(0, 8);
		String incarnation = UUID.randomUUID().toString();
		List<String> rooms = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			rooms.add("measure-" + UUID.randomUUID().toString().substring(0, 8));
		}
		ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();
		try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
				bootstrap, ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5),
				new StringSerializer(), new StringSerializer());
				Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
			// The simulated node stays alive throughout, as a real one would.
			heartbeats.scheduleAtFixedRate(() -> send(producer, nodeId,
					new PresenceSignal.NodeHeartbeat(nodeId, incarnation, Instant.now(), USERS)), 0, 5, TimeUnit.SECONDS);
			producer.flush();
			awaitCaughtUp(admin, Duration.ofMinutes(2));

			long start = System.nanoTime();
			int signals = 0;
			for (int i = 0; i < USERS; i++) {
				String userId = UUID.randomUUID().toString();
				String connectionId = UUID.randomUUID().toString();
				String room = rooms.get(i % rooms.size());
				Instant now = Instant.now();
				send(producer, userId, new PresenceSignal.Connected(nodeId, incarnation, now, connectionId, userId,
						"measure-" + i));
				send(producer, userId, new PresenceSignal.Subscribed(nodeId, incarnation, now, connectionId, userId,
						"measure-" + i, room));
				send(producer, userId,
						new PresenceSignal.Disconnected(nodeId, incarnation, now, connectionId, userId));
				signals += 3;
			}
			producer.flush();
			long produced = System.nanoTime();
			awaitCaughtUp(admin, Duration.ofMinutes(30));
			long processed = System.nanoTime();
			double seconds = (processed - start) / 1e9;
			System.out.printf("presence throughput: %d signals (%d users: connect, subscribe, disconnect; %d rooms)"
					+ " produced in %.1f s, all committed by presence-service after %.1f s: %.0f signals/s%n", signals,
					USERS, rooms.size(), (produced - start) / 1e9, seconds, signals / seconds);
		}
		finally {
			heartbeats.shutdownNow();
		}
	}

	/** Waits until the presence-service group has committed up to the end of every partition. */
	private static void awaitCaughtUp(Admin admin, Duration timeout) {
		Awaitility.await("presence-service caught up with " + Topics.PRESENCE_EVENTS)
			.atMost(timeout)
			.pollInterval(Duration.ofMillis(100))
			.until(() -> caughtUp(admin));
	}

	private static boolean caughtUp(Admin admin) throws Exception {
		Map<TopicPartition, OffsetSpec> latest = admin.describeTopics(List.of(Topics.PRESENCE_EVENTS))
			.allTopicNames()
			.get()
			.get(Topics.PRESENCE_EVENTS)
			.partitions()
			.stream()
			.collect(Collectors.toMap(p -> new TopicPartition(Topics.PRESENCE_EVENTS, p.partition()),
					p -> OffsetSpec.latest()));
		Map<TopicPartition, Long> ends = admin.listOffsets(latest)
			.all()
			.get()
			.entrySet()
			.stream()
			.collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
		Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("presence-service")
			.partitionsToOffsetAndMetadata()
			.get();
		// Heartbeats keep arriving: one record of lag is the last heartbeat, not a backlog.
		return ends.entrySet().stream().allMatch(end -> {
			OffsetAndMetadata at = committed.get(end.getKey());
			return end.getValue() - (at == null ? 0 : at.offset()) <= 1;
		});
	}

	private static void send(KafkaProducer<String, String> producer, String key, PresenceSignal signal) {
		producer.send(new ProducerRecord<>(Topics.PRESENCE_EVENTS, key,
				PresenceClient.JSON.writerFor(PresenceSignal.class).writeValueAsString(signal)));
	}

	private static long percentile(List<Long> sorted, int percentile) {
		int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
		return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
	}

}
