package dev.chat.presence.support;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ApplicationContext;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

import dev.chat.common.events.RoomEvent;
import dev.chat.common.kafka.Topics;
import dev.chat.presence.node.NodeLiveness;
import dev.chat.test.kafka.TestKafka;

/** What the presence tests share: waiting for the service to listen, room events, fresh ids. */
public final class PresenceHarness {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/**
	 * Waits until the service reads every partition of its topics and its heartbeat watcher
	 * listens. The tests start their consumer groups at the latest offset, so a record sent
	 * earlier would be missed.
	 */
	public static void awaitListening(ApplicationContext context) {
		KafkaListenerEndpointRegistry listeners = context.getBean(KafkaListenerEndpointRegistry.class);
		NodeLiveness liveness = context.getBean(NodeLiveness.class);
		Awaitility.await("presence-service listening on every partition")
			.atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> liveness.listeningSince() != null && listeners.getListenerContainers()
				.stream()
				.allMatch(PresenceHarness::readsEveryPartition));
	}

	private static boolean readsEveryPartition(MessageListenerContainer container) {
		var assigned = container.getAssignedPartitions();
		return assigned != null && assigned.size() == TestKafka.PARTITIONS;
	}

	public static String bootstrapServers(ApplicationContext context) {
		return context.getEnvironment().getRequiredProperty("spring.kafka.bootstrap-servers");
	}

	/** Publishes room events on {@code chat.rooms}, as room-service does, and waits for Kafka. */
	public static void publish(String bootstrapServers, RoomEvent... events) {
		try (KafkaProducer<String, String> producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.ACKS_CONFIG, "all"),
				new StringSerializer(), new StringSerializer())) {
			for (RoomEvent event : events) {
				producer.send(new ProducerRecord<>(Topics.ROOMS, event.roomId(),
						JSON.writerFor(RoomEvent.class).writeValueAsString(event))).get(10, TimeUnit.SECONDS);
			}
		}
		catch (Exception ex) {
			throw new IllegalStateException("room events not published", ex);
		}
	}

	/** A fresh id with a readable prefix: tests share the broker, never their ids. */
	public static String id(String prefix) {
		return prefix + "-" + UUID.randomUUID().toString().substring(0, 13);
	}

	private PresenceHarness() {
	}

}
