package dev.chat.presence.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import tools.jackson.databind.json.JsonMapper;

import dev.chat.common.events.PresenceChanged;

/**
 * Reads a topic of the real Kafka from its end as of opening: what a test causes afterwards,
 * not what earlier tests left. Polled by the test thread while it waits.
 */
public final class PresenceTopic implements AutoCloseable {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final KafkaConsumer<String, String> consumer;

	private final List<ConsumerRecord<String, String>> seen = new ArrayList<>();

	public PresenceTopic(String bootstrapServers, String topic) {
		consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
				ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.ISOLATION_LEVEL_CONFIG,
				"read_committed"), new StringDeserializer(), new StringDeserializer());
		List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10))
			.stream()
			.map(info -> new TopicPartition(info.topic(), info.partition()))
			.toList();
		consumer.assign(partitions);
		consumer.seekToEnd(partitions);
		partitions.forEach(partition -> consumer.position(partition, Duration.ofSeconds(10)));
	}

	/** Every change published for the room so far, in order. */
	public List<PresenceChanged> changes(String roomId) {
		poll();
		return seen.stream()
			.filter(record -> roomId.equals(record.key()))
			.map(record -> JSON.readValue(record.value(), PresenceChanged.class))
			.toList();
	}

	/** Every record so far whose key is {@code key}, as text. */
	public List<String> values(String key) {
		poll();
		return seen.stream().filter(record -> key.equals(record.key())).map(ConsumerRecord::value).toList();
	}

	/** Waits up to {@code timeout} until the room has {@code count} changes; returns them. */
	public List<PresenceChanged> awaitChanges(String roomId, int count, Duration timeout) {
		Awaitility.await("%d presence changes in %s".formatted(count, roomId))
			.atMost(timeout)
			.pollInterval(Duration.ofMillis(50))
			.until(() -> changes(roomId).size() >= count);
		return changes(roomId);
	}

	/** Asserts that the room's changes stay at {@code count} for the whole {@code period}. */
	public void assertQuiet(String roomId, int count, Duration period) {
		Awaitility.await("no change in %s beyond %d for %s".formatted(roomId, count, period))
			.during(period)
			.atMost(period.plusSeconds(5))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> changes(roomId).size() == count);
	}

	private void poll() {
		consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
	}

	@Override
	public void close() {
		consumer.close(Duration.ofSeconds(2));
	}

}
