package dev.chat.e2e.rooms;

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

import dev.chat.common.kafka.Topics;

import static org.awaitility.Awaitility.await;

/**
 * Reads {@code chat.rooms} of the stack from the beginning of every partition, as a consumer of
 * the platform would, and keeps what it saw.
 */
final class RoomEventsReader implements AutoCloseable {

	private final KafkaConsumer<String, String> consumer;

	private final List<Event> seen = new ArrayList<>();

	RoomEventsReader(String bootstrapServers) {
		consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
				ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new StringDeserializer());
		List<TopicPartition> partitions = consumer.partitionsFor(Topics.ROOMS, Duration.ofSeconds(30))
			.stream()
			.map(info -> new TopicPartition(info.topic(), info.partition()))
			.toList();
		consumer.assign(partitions);
		consumer.seekToBeginning(partitions);
	}

	/** One record: its key and the event. */
	record Event(String key, JsonNode value) {

		String type() {
			return value.path("type").asString();
		}

		String eventId() {
			return value.path("eventId").asString();
		}

		String roomId() {
			return value.path("roomId").asString();
		}

	}

	/** Polls until the events of {@code roomId} satisfy {@code done}; returns them. */
	List<Event> awaitRoom(String roomId, Predicate<List<Event>> done, Duration timeout) {
		await("events of room " + roomId).atMost(timeout).pollInterval(Duration.ZERO).until(() -> {
			poll();
			return done.test(ofRoom(roomId));
		});
		return ofRoom(roomId);
	}

	/** Keeps polling for {@code duration}, then returns the events of {@code roomId}. */
	List<Event> pollFor(String roomId, Duration duration) {
		long end = System.nanoTime() + duration.toNanos();
		while (System.nanoTime() < end) {
			poll();
		}
		return ofRoom(roomId);
	}

	List<Event> ofRoom(String roomId) {
		return seen.stream().filter(event -> roomId.equals(event.roomId())).toList();
	}

	private void poll() {
		for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
			seen.add(new Event(record.key(), RoomsClient.JSON.readTree(record.value())));
		}
	}

	@Override
	public void close() {
		consumer.close();
	}

}
