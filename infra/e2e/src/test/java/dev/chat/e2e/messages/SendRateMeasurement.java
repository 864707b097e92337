package dev.chat.e2e.messages;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import dev.chat.common.kafka.Topics;
import dev.chat.e2e.support.TestStackExtension;
import dev.chat.stack.Stack;

/**
 * The highest send rate message-service stores with a p99 under 100 ms, on the local test stack.
 * Sends are produced straight to {@code chat.messages.inbound} (as the gateway does) at a fixed
 * rate spread over 50 rooms; each is timed from just before it is produced to the arrival of its
 * {@code message.created} on {@code chat.messages}. After 90 s of warm-up at 50/s (not reported),
 * the rate goes up step by step (20 s each)
 * until the p99 passes 100 ms or message-service falls behind. Prints a table and writes it to
 * {@code target/measurements/send-rate.txt}; asserts nothing (the numbers depend on the machine).
 *
 * <pre>
 * CHAT_TEST_STACK_DIR=.local/test-stack-msg CHAT_TEST_STACK_OFFSET=5000 ./mvnw -B -o verify -pl infra/e2e \
 *     -Dtest=SendRateMeasurement -Dchat.measure=messages -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
@ExtendWith(TestStackExtension.class)
@EnabledIfSystemProperty(named = "chat.measure", matches = "messages|send-rate")
class SendRateMeasurement {

	private static final int ROOMS = 50;

	private static final Duration STEP = Duration.ofSeconds(20);

	private static final Duration WARM_UP = Duration.ofSeconds(90);

	private static final int WARM_UP_RATE = 50;

	private static final int[] RATES = { 10, 25, 50, 100, 150, 200, 300, 400, 600, 800, 1_000, 1_250, 1_500, 2_000, 2_500, 3_000,
			4_000 };

	/** Sends are released every 10 ms, rate / 100 at a time. */
	private static final long TICK_MILLIS = 10;

	private static final String BODY = "a message of about a hundred characters, which is longer than most chat messages are in practice";

	private record Step(int rate, Latencies latencies, double stored, int missing, String cpu) {
	}

	@Test
	void measure(Stack stack) throws Exception {
		String bootstrap = stack.config().kafkaBootstrap();
		String run = UUID.randomUUID().toString().substring(0, 8);
		List<String> rooms = new ArrayList<>();
		for (int i = 0; i < ROOMS; i++) {
			rooms.add(String.format("%08x%016x", run.hashCode(), (long) i));
		}
		Map<String, Long> pending = new ConcurrentHashMap<>();
		List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
		Set<String> rejected = ConcurrentHashMap.newKeySet();
		try (KafkaProducer<String, String> producer = producer(bootstrap);
				Created created = new Created(bootstrap, pending, latencies, rejected)) {
			created.awaitAssigned();
			createRooms(producer, rooms);
			warmUp(producer, rooms, created);
			// The services' JIT compilers need minutes of traffic: without this, compilation
			// competes with the first steps for the two cores (measured: p99 177 ms at 50/s cold).
			Step warm = runStep(stack, producer, rooms, pending, latencies, WARM_UP_RATE, WARM_UP);
			System.out.printf("warm-up at %d/s for %d s: %s%n", WARM_UP_RATE, WARM_UP.toSeconds(), warm.latencies());
			pending.clear();
			created.rejected().clear();

			List<Step> steps = new ArrayList<>();
			for (int rate : RATES) {
				Step step = runStep(stack, producer, rooms, pending, latencies, rate, STEP);
				steps.add(step);
				System.out.printf("rate %,5d/s: stored %,7.0f/s, %s, not stored after 10 s: %d; %s%n", rate,
						step.stored(), step.latencies(), step.missing(), step.cpu());
				if (step.latencies().p99() > 100 || step.missing() > 0) {
					break;
				}
				pending.clear();
			}
			report(steps, rejected);
		}
	}

	private static Step runStep(Stack stack, KafkaProducer<String, String> producer, List<String> rooms,
			Map<String, Long> pending, List<Long> latencies, int rate, Duration duration) {
		latencies.clear();
		MachineLoad load = MachineLoad.of(stack, "message-service", "ferretdb", "kafka");
		AtomicInteger sent = new AtomicInteger();
		long total = rate * duration.toSeconds();
		AtomicBoolean done = new AtomicBoolean();
		ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
		long start = System.nanoTime();
		ScheduledFuture<?> ticks = ticker.scheduleAtFixedRate(() -> {
			// As many as are due by now: the rate holds even when a tick runs late.
			long due = Math.min(total, (System.nanoTime() - start) * rate / 1_000_000_000L);
			while (sent.get() < due) {
				int n = sent.getAndIncrement();
				String room = rooms.get(n % rooms.size());
				String clientMsgId = "r" + rate + "-" + duration.toSeconds() + "s-" + n;
				pending.put(room + "/" + clientMsgId, System.nanoTime());
				producer.send(new ProducerRecord<>(Topics.MESSAGES_INBOUND, room, send(room, clientMsgId, BODY)));
			}
			if (sent.get() >= total) {
				done.set(true);
			}
		}, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
		Awaitility.await("rate " + rate + " sent").atMost(duration.multipliedBy(3)).untilTrue(done);
		ticks.cancel(false);
		ticker.shutdown();
		try {
			Awaitility.await("rate " + rate + " stored")
				.atMost(Duration.ofSeconds(10))
				.pollInterval(Duration.ofMillis(20))
				.until(() -> latencies.size() >= total);
		}
		catch (ConditionTimeoutException behind) {
			// Reported as missing below.
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		return new Step(rate, Latencies.of(new ArrayList<>(latencies)), latencies.size() / seconds,
				(int) (total - latencies.size()), load.cpuPer((int) total));
	}

	private static String send(String room, String clientMsgId, String body) {
		return """
				{"type":"message.send","commandId":"%s","version":1,"receivedAt":"%s","roomId":"%s",\
				"userId":"%s","clientMsgId":"%s","body":"%s"}""".formatted(UUID.randomUUID(), Instant.now(), room,
				owner(room), clientMsgId, body);
	}

	private static String owner(String room) {
		return "load-owner-" + room;
	}

	/** Announces the rooms on {@code chat.rooms}, as room-service does. */
	private static void createRooms(KafkaProducer<String, String> producer, List<String> rooms) {
		for (String room : rooms) {
			String event = """
					{"type":"room.created","eventId":"%s","version":1,"occurredAt":"%s","roomId":"%s",\
					"name":"load %s","visibility":"public","ownerId":"%s"}""".formatted(UUID.randomUUID(), Instant.now(),
					room, room, owner(room));
			producer.send(new ProducerRecord<>(Topics.ROOMS, room, event));
		}
		producer.flush();
	}

	/** One message per room until each is stored: the projection knows the rooms, the JIT is warm. */
	private static void warmUp(KafkaProducer<String, String> producer, List<String> rooms, Created created) {
		Awaitility.await("every room accepts messages")
			.atMost(Duration.ofMinutes(1))
			.pollInterval(Duration.ofSeconds(1))
			.until(() -> {
				for (String room : rooms) {
					if (!created.rooms().contains(room)) {
						producer.send(new ProducerRecord<>(Topics.MESSAGES_INBOUND, room,
								send(room, "warm-" + UUID.randomUUID(), "warm up")));
					}
				}
				producer.flush();
				return created.rooms().containsAll(rooms);
			});
	}

	private static void report(List<Step> steps, Set<String> rejected) throws IOException {
		StringBuilder table = new StringBuilder("offered/s  stored/s   p50 ms   p99 ms   max ms  missing  CPU per message\n");
		int best = 0;
		for (Step step : steps) {
			table.append(String.format("%9d %9.0f %8.1f %8.1f %8.1f %8d  %s%n", step.rate(), step.stored(),
					step.latencies().p50(), step.latencies().p99(), step.latencies().max(), step.missing(), step.cpu()));
			if (step.latencies().p99() <= 100 && step.missing() == 0) {
				best = step.rate();
			}
		}
		table.append(String.format("highest rate stored with p99 under 100 ms: %d messages/s (%d rooms)%n", best,
				ROOMS));
		if (!rejected.isEmpty()) {
			table.append("rejections: ").append(rejected.size()).append('\n');
		}
		System.out.println(table);
		Path file = Path.of("target", "measurements", "send-rate.txt");
		Files.createDirectories(file.getParent());
		Files.writeString(file, table);
	}

	private static KafkaProducer<String, String> producer(String bootstrap) {
		return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG,
				"all", ProducerConfig.LINGER_MS_CONFIG, 0), new StringSerializer(), new StringSerializer());
	}

	/**
	 * Reads {@code chat.messages} from its end, and for each {@code message.created} of a pending
	 * send records the time since it was produced.
	 */
	private static final class Created implements AutoCloseable {

		private final KafkaConsumer<String, String> consumer;

		private final Thread thread;

		private final AtomicBoolean running = new AtomicBoolean(true);

		private final AtomicBoolean assigned = new AtomicBoolean();

		private final Set<String> rooms = ConcurrentHashMap.newKeySet();

		private final Set<String> rejected;

		Created(String bootstrap, Map<String, Long> pending, List<Long> latencies, Set<String> rejected) {
			this.rejected = rejected;
			this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
					ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new StringDeserializer());
			this.thread = Thread.ofPlatform().daemon().name("created-reader").start(() -> {
				List<TopicPartition> partitions = consumer.partitionsFor(Topics.MESSAGES)
					.stream()
					.map(p -> new TopicPartition(Topics.MESSAGES, p.partition()))
					.toList();
				consumer.assign(partitions);
				consumer.seekToEnd(partitions);
				partitions.forEach(consumer::position);
				assigned.set(true);
				try {
					while (running.get()) {
						consumer.poll(Duration.ofMillis(50)).forEach(record -> {
							long now = System.nanoTime();
							JsonNode event = ChatApi.JSON.readTree(record.value());
							String key = record.key() + "/" + event.path("clientMsgId").asString();
							if ("message.rejected".equals(event.path("type").asString())) {
								rejected.add(key + " " + event.path("reason").asString());
								return;
							}
							if ("message.created".equals(event.path("type").asString())) {
								rooms.add(record.key());
								Long sentAt = pending.remove(key);
								if (sentAt != null) {
									latencies.add(now - sentAt);
								}
							}
						});
					}
				}
				catch (org.apache.kafka.common.errors.WakeupException stopping) {
					// closing
				}
				finally {
					consumer.close(Duration.ofSeconds(2));
				}
			});
		}

		/** The rooms a message was stored in. */
		Set<String> rooms() {
			return rooms;
		}

		Set<String> rejected() {
			return rejected;
		}

		void awaitAssigned() {
			Awaitility.await("reading chat.messages from its end").atMost(Duration.ofSeconds(30)).untilTrue(assigned);
		}

		@Override
		public void close() throws InterruptedException {
			running.set(false);
			consumer.wakeup();
			thread.join(5_000);
		}

	}

}
