package dev.chat.e2e.identity;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import tools.jackson.databind.JsonNode;

import dev.chat.common.kafka.Topics;
import dev.chat.stack.Stack;

/**
 * A plain Kafka consumer on the test stack's {@code chat.users}, positioned at the end of every
 * partition when opened: it sees what the test causes afterwards, not earlier runs' events.
 */
final class UsersTopic implements AutoCloseable {

	private final KafkaConsumer<String, String> consumer;

	private final List<ConsumerRecord<String, String>> seen = new ArrayList<>();

	UsersTopic(Stack stack) {
		this(stack, false);
	}

	/** From the end of every partition or, {@code fromBeginning}, from their start. */
	UsersTopic(Stack stack, boolean fromBeginning) {
		Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.config().kafkaBootstrap(),
				ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.ISOLATION_LEVEL_CONFIG,
				"read_committed");
		consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
		List<TopicPartition> partitions = consumer.partitionsFor(Topics.USERS, Duration.ofSeconds(10))
			.stream()
			.map(info -> new TopicPartition(info.topic(), info.partition()))
			.toList();
		consumer.assign(partitions);
		if (fromBeginning) {
			consumer.seekToBeginning(partitions);
		}
		else {
			consumer.seekToEnd(partitions);
		}
		// Seeking is lazy: resolve the positions now, before the test acts.
		partitions.forEach(partition -> consumer.position(partition, Duration.ofSeconds(10)));
	}

	/** The first event of {@code type} keyed by {@code userId}, waiting for it up to 20 s. */
	ConsumerRecord<String, String> next(String userId, String type) {
		AtomicReference<ConsumerRecord<String, String>> found = new AtomicReference<>();
		Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
			consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
			seen.stream()
				.filter(r -> userId.equals(r.key()) && type.equals(value(r).path("type").asString()))
				.findFirst()
				.ifPresent(found::set);
			return found.get() != null;
		});
		return found.get();
	}

	/** Every event of {@code type} keyed by {@code userId} seen within {@code during}. */
	List<ConsumerRecord<String, String>> all(String userId, String type, Duration during) {
		long end = System.nanoTime() + during.toNanos();
		while (System.nanoTime() < end) {
			consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
		}
		return seen.stream()
			.filter(r -> userId.equals(r.key()) && type.equals(value(r).path("type").asString()))
			.toList();
	}

	static JsonNode value(ConsumerRecord<String, String> record) {
		return AuthApi.JSON.readTree(record.value());
	}

	@Override
	public void close() {
		consumer.close(CloseOptions.timeout(Duration.ofSeconds(2)));
	}

}
