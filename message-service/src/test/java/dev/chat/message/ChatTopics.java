package dev.chat.message;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import tools.jackson.databind.json.JsonMapper;

import dev.chat.common.events.MessageEvent;
import dev.chat.message.kafka.JsonValueSerializer;
import dev.chat.test.kafka.TestKafka;

/**
 * The test JVM's Kafka as a client sees it: publishes records (JSON like the platform's
 * producers, or raw bytes) and records what arrives on a topic from its beginning, so a test can
 * wait for the events of its own room (room ids are unique per test).
 */
public final class ChatTopics implements AutoCloseable {

	static final JsonMapper JSON = JsonMapper.builder().build();

	private final KafkaProducer<String, Object> producer;

	private final List<Recorder> recorders = new ArrayList<>();

	public ChatTopics() {
		this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
				ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new JsonValueSerializer(JSON));
	}

	private static String bootstrap() {
		return TestKafka.shared().bootstrapServers();
	}

	/** Publishes and waits for the acknowledgement. */
	public void publish(String topic, String key, Object value) {
		publish(topic, key, value, Map.of());
	}

	/** Publishes with these headers (a {@code traceparent}, say) and waits for the acknowledgement. */
	public void publish(String topic, String key, Object value, Map<String, String> headers) {
		ProducerRecord<String, Object> record = new ProducerRecord<>(topic, key, value);
		headers.forEach((name, header) -> record.headers().add(name, header.getBytes(StandardCharsets.UTF_8)));
		try {
			producer.send(record).get(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("cannot publish to " + topic, ex);
		}
	}

	/** Starts recording {@code topic} from its beginning. */
	public Recorder record(String topic) {
		Recorder recorder = new Recorder(topic);
		recorders.add(recorder);
		return recorder;
	}

	@Override
	public void close() {
		recorders.forEach(Recorder::close);
		producer.close(Duration.ofSeconds(5));
	}

	/** Everything published to one topic since it was created, as text. */
	public static final class Recorder implements AutoCloseable {

		private final List<ConsumerRecord<String, String>> records = new CopyOnWriteArrayList<>();

		private final KafkaConsumer<String, String> consumer;

		private final Thread thread;

		private volatile boolean running = true;

		Recorder(String topic) {
			this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
					ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(),
					new StringDeserializer());
			List<TopicPartition> partitions = consumer.partitionsFor(topic)
				.stream()
				.map(info -> new TopicPartition(topic, info.partition()))
				.toList();
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			this.thread = Thread.ofPlatform().daemon().name("recorder-" + topic).start(this::poll);
		}

		private void poll() {
			try {
				while (running) {
					consumer.poll(Duration.ofMillis(100)).forEach(records::add);
				}
			}
			catch (WakeupException stopping) {
				// close() woke the poll up
			}
			finally {
				consumer.close(Duration.ofSeconds(2));
			}
		}

		List<ConsumerRecord<String, String>> records(String key) {
			return records.stream().filter(record -> key.equals(record.key())).toList();
		}

		/** The {@code chat.messages} events of a room, in the order published. */
		public List<MessageEvent> events(String roomId) {
			return records(roomId).stream().map(record -> JSON.readValue(record.value(), MessageEvent.class)).toList();
		}

		public <T extends MessageEvent> List<T> events(String roomId, Class<T> type) {
			return events(roomId).stream().filter(type::isInstance).map(type::cast).toList();
		}

		@Override
		public void close() {
			running = false;
			consumer.wakeup();
			try {
				thread.join(5_000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

	}

}
