package dev.chat.presence.tracking;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

import dev.chat.common.events.PresenceSignal;
import dev.chat.common.kafka.Topics;
import dev.chat.presence.support.PresenceHarness;
import dev.chat.presence.support.TestGatewayNode;
import dev.chat.test.service.ChatServiceTest;

/**
 * How many signals presence-service applies per second, at service level (embedded Kafka,
 * FerretDB), printed, not asserted. Not part of the regular suite:
 *
 * <pre>
 * ./mvnw -B -o test -pl presence-service -Dtest=PresenceThroughputMeasurement -Dchat.measure=presence
 * </pre>
 *
 * Each of {@code chat.measure.users} users (3,000) connects, subscribes to one of 20 rooms and
 * disconnects; the signals are written to Kafka first, as fast as it takes them. Reported: when
 * the service's consumer group has committed them all, and when the last {@code offline} (after
 * the 2 s grace period) has been published.
 */
@ChatServiceTest
@DirtiesContext
@TestPropertySource(properties = { "chat.presence.consumer-group=presence-throughput-measurement",
		"spring.kafka.consumer.auto-offset-reset=latest" })
@EnabledIfSystemProperty(named = "chat.measure", matches = "presence")
class PresenceThroughputMeasurement {

	private static final int USERS = Integer.getInteger("chat.measure.users", 3000);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Autowired
	private ApplicationContext context;

	@Test
	void measure() throws Exception {
		PresenceHarness.awaitListening(context);
		String kafka = PresenceHarness.bootstrapServers(context);
		List<String> rooms = java.util.stream.IntStream.range(0, 20).mapToObj(i -> PresenceHarness.id("room")).toList();
		try (TestGatewayNode node = TestGatewayNode.start(kafka, Duration.ofSeconds(1));
				dev.chat.presence.support.PresenceTopic presence = new dev.chat.presence.support.PresenceTopic(kafka,
						Topics.PRESENCE);
				KafkaProducer<String, String> producer = new KafkaProducer<>(
						Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka, ProducerConfig.ACKS_CONFIG, "all"),
						new StringSerializer(), new StringSerializer());
				Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
			long start = System.nanoTime();
			for (int i = 0; i < USERS; i++) {
				String userId = UUID.randomUUID().toString();
				String connectionId = UUID.randomUUID().toString();
				Instant now = Instant.now();
				send(producer, userId, new PresenceSignal.Connected(node.nodeId(), node.incarnation(), now,
						connectionId, userId, "user" + i));
				send(producer, userId, new PresenceSignal.Subscribed(node.nodeId(), node.incarnation(), now,
						connectionId, userId, "user" + i, rooms.get(i % rooms.size())));
				send(producer, userId,
						new PresenceSignal.Disconnected(node.nodeId(), node.incarnation(), now, connectionId, userId));
			}
			producer.flush();
			long produced = System.nanoTime();
			Awaitility.await()
				.atMost(Duration.ofMinutes(20))
				.pollInterval(Duration.ofMillis(100))
				.until(() -> caughtUp(admin));
			long committed = System.nanoTime();
			Awaitility.await()
				.atMost(Duration.ofMinutes(20))
				.pollInterval(Duration.ofMillis(200))
				.until(() -> rooms.stream().mapToInt(room -> presence.changes(room).size()).sum() >= 2 * USERS);
			long published = System.nanoTime();
			int signals = 3 * USERS;
			System.out.printf(
					"presence throughput (service level): %d signals (%d users: connect, subscribe, disconnect) produced"
							+ " in %.1f s; all committed after %.1f s = %.0f signals/s; last offline published after"
							+ " %.1f s (grace 2 s included)%n",
					signals, USERS, seconds(start, produced), seconds(start, committed),
					signals / seconds(start, committed), seconds(start, published));
		}
	}

	private boolean caughtUp(Admin admin) throws Exception {
		Map<TopicPartition, OffsetSpec> latest = java.util.stream.IntStream
			.range(0, dev.chat.test.kafka.TestKafka.PARTITIONS)
			.boxed()
			.collect(Collectors.toMap(p -> new TopicPartition(Topics.PRESENCE_EVENTS, p), p -> OffsetSpec.latest()));
		Map<TopicPartition, Long> ends = admin.listOffsets(latest)
			.all()
			.get(10, TimeUnit.SECONDS)
			.entrySet()
			.stream()
			.collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
		Map<TopicPartition, OffsetAndMetadata> committed = admin
			.listConsumerGroupOffsets("presence-throughput-measurement")
			.partitionsToOffsetAndMetadata()
			.get(10, TimeUnit.SECONDS);
		// Heartbeats keep arriving: one record of lag is the latest heartbeat, not a backlog.
		return ends.entrySet().stream().allMatch(end -> {
			OffsetAndMetadata at = committed.get(end.getKey());
			return end.getValue() - (at == null ? 0 : at.offset()) <= 1;
		});
	}

	private static void send(KafkaProducer<String, String> producer, String key, PresenceSignal signal) {
		producer.send(new ProducerRecord<>(Topics.PRESENCE_EVENTS, key,
				JSON.writerFor(PresenceSignal.class).writeValueAsString(signal)));
	}

	private static double seconds(long from, long to) {
		return (to - from) / 1e9;
	}

}
