package dev.chat.room;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.chat.common.kafka.Topics;

import static org.awaitility.Awaitility.await;

/**
 * Reads {@code chat.rooms} from the beginning of every partition, as a consumer of the platform
 * would, keeping every record seen. Tests share the broker, so they look only at the rooms they
 * made.
 */
public final class RoomEventsTopic implements AutoCloseable {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final KafkaConsumer<String, String> consumer;

	private final List<Record> seen = new ArrayList<>();

	public RoomEventsTopic(String bootstrapServers) {
		consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
				ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.ISOLATION_LEVEL_CONFIG,
				"read_committed"), new StringDeserializer(), new StringDeserializer());
		List<TopicPartition> partitions = consumer.partitionsFor(Topics.ROOMS, Duration.ofSeconds(30))
			.stream()
			.map(info -> new TopicPartition(info.topic(), info.partition()))
			.toList();
		consumer.assign(partitions);
		consumer.seekToBeginning(partitions);
	}

	/** A record of {@code chat.rooms}: its key, partition and the event as JSON. */
	public record Record(String key, int partition, JsonNode event) {

		public String type() {
			return event.path("type").asString();
		}

		public String eventId() {
			return event.path("eventId").asString();
		}

		public String roomId() {
			return event.path("roomId").asString();
		}

	}

	/** Polls until the records of {@code roomId} satisfy {@code done}; returns them. */
	public List<Record> awaitRoom(String roomId, Predicate<List<Record>> done, Duration timeout) {
		await("events of room " + roomId).atMost(timeout).pollInterval(Duration.ZERO).until(() -> {
			poll();
			return done.test(ofRoom(roomId));
		});
		return ofRoom(roomId);
	}

	/** Polls for {@code duration} more, then returns the records of {@code roomId}. */
	public List<Record> pollFor(String roomId, Duration duration) {
		long end = System.nanoTime() + duration.toNanos();
		while (System.nanoTime() < end) {
			poll();
		}
		return ofRoom(roomId);
	}

	public List<Record> ofRoom(String roomId) {
		return seen.stream().filter(record -> roomId.equals(record.roomId())).toList();
	}

	/** Every record seen so far. */
	public List<Record> all() {
		return List.copyOf(seen);
	}

	private void poll() {
		for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
			seen.add(new Record(record.key(), record.partition(), JSON.readTree(record.value())));
		}
	}

	@Override
	public void close() {
		consumer.close();
	}

}
