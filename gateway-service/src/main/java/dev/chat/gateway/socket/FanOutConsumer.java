package dev.chat.gateway.socket;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.chat.common.kafka.Topics;
import dev.chat.common.metrics.KafkaClientMetricsBinding;

/**
 * Reads the fan-out topics for this node: every partition, by direct assignment, with no
 * consumer group. A group per node would buy nothing (each node must see every event) and cost
 * a restarted node the coordinator's wait for its dead predecessor's session to time out (45 s
 * by default) before any delivery. Assigned, a node delivers from its first second.
 *
 * <p>
 * Position: the end of every partition when the node starts, and nothing is committed. A node
 * has no sockets before it starts, and a client that was connected elsewhere subscribes with
 * {@code sinceSeq}, which replays from message-service everything up to the head it is told;
 * what comes after is delivered live from this position. That is why the node is not ready
 * (readiness DOWN, {@code fanOut}) until every partition is positioned: a subscription confirmed
 * before then could miss an event published between the replay and the position.
 */
@Component("fanOut")
class FanOutConsumer implements SmartLifecycle, HealthIndicator {

	private static final Logger log = LoggerFactory.getLogger(FanOutConsumer.class);

	private static final List<String> TOPICS = List.of(Topics.MESSAGES, Topics.ROOMS, Topics.PRESENCE, Topics.TYPING,
			Topics.USERS);

	private final FanOutListener fanOut;

	private final LogoutListener logouts;

	private final Map<String, Object> config;

	private volatile boolean running;

	private volatile boolean positioned;

	private volatile KafkaConsumer<String, String> consumer;

	private Thread thread;

	/** The consumer's own metrics: its lag is {@code kafka.consumer.fetch.manager.records.lag.max{client.id=fan-out}}. */
	private final ObjectProvider<MeterRegistry> meters;

	FanOutConsumer(FanOutListener fanOut, LogoutListener logouts, KafkaProperties kafka,
			ObjectProvider<MeterRegistry> meters) {
		this.meters = meters;
		this.fanOut = fanOut;
		this.logouts = logouts;
		Map<String, Object> properties = kafka.buildConsumerProperties();
		properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
		properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
		properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
		properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
		properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "fan-out");
		this.config = properties;
	}

	/** Whether subscriptions can be served live: every fan-out partition is positioned. */
	boolean positioned() {
		return positioned;
	}

	@Override
	public Health health() {
		return positioned ? Health.up().build() : Health.down().withDetail("reason", "positioning").build();
	}

	@Override
	public void start() {
		running = true;
		thread = Thread.ofPlatform().name("fan-out").daemon().start(this::run);
	}

	/**
	 * Consumes until stopped. Should the consumer fail, a new one resumes where the last one
	 * stopped (the offsets it reached are kept), so live sockets miss nothing; only the very first
	 * positioning starts at the end.
	 */
	private void run() {
		Map<TopicPartition, Long> reached = new HashMap<>();
		while (running) {
			KafkaConsumer<String, String> kafka = new KafkaConsumer<>(config);
			consumer = kafka;
			KafkaClientMetricsBinding metrics = KafkaClientMetricsBinding.bind(kafka, meters.getIfAvailable());
			try {
				List<TopicPartition> partitions = partitions(kafka);
				if (partitions.isEmpty()) {
					return;
				}
				kafka.assign(partitions);
				position(kafka, partitions, reached);
				positioned = true;
				log.info("fan-out positioned partitions={}", partitions.size());
				while (running) {
					deliver(kafka.poll(Duration.ofMillis(500)), reached);
				}
			}
			catch (WakeupException stopping) {
				// stop() asked for it
			}
			catch (RuntimeException ex) {
				positioned = false;
				log.error("fan-out consumer failed; resuming where it stopped error={}", ex.toString());
				pause();
			}
			finally {
				metrics.close();
				// Nothing to commit and no group to leave: a broker already gone must not hold up shutdown.
				kafka.close(Duration.ofSeconds(1));
			}
		}
		positioned = false;
	}

	private static void position(KafkaConsumer<String, String> kafka, List<TopicPartition> partitions,
			Map<TopicPartition, Long> reached) {
		List<TopicPartition> fresh = new ArrayList<>();
		for (TopicPartition partition : partitions) {
			Long offset = reached.get(partition);
			if (offset != null) {
				kafka.seek(partition, offset);
			}
			else {
				fresh.add(partition);
			}
		}
		kafka.seekToEnd(fresh);
		// Every partition's position is known from here on, also of those that stay quiet, so a
		// consumer that fails later resumes all of them where this one was, never at their end.
		partitions.forEach(partition -> reached.putIfAbsent(partition, kafka.position(partition, Duration.ofMinutes(5))));
	}

	private void pause() {
		try {
			Thread.sleep(1_000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			running = false;
		}
	}

	/** Every partition of the fan-out topics; waits for them (Kafka may still be starting). */
	private List<TopicPartition> partitions(KafkaConsumer<String, String> kafka) {
		while (running) {
			try {
				List<TopicPartition> partitions = new ArrayList<>();
				for (String topic : TOPICS) {
					for (PartitionInfo info : kafka.partitionsFor(topic, Duration.ofSeconds(10))) {
						partitions.add(new TopicPartition(info.topic(), info.partition()));
					}
				}
				return partitions;
			}
			catch (org.apache.kafka.common.errors.TimeoutException retry) {
				log.warn("fan-out topics not available yet; retrying");
			}
		}
		return List.of();
	}

	/** One poll is one write batch: each socket is flushed once for all the poll's events ({@link FlushBatch}). */
	private void deliver(ConsumerRecords<String, String> records, Map<TopicPartition, Long> reached) {
		if (records.isEmpty()) {
			return;
		}
		FlushBatch flushes = FlushBatch.open();
		try {
			for (TopicPartition partition : records.partitions()) {
				List<ConsumerRecord<String, String>> batch = records.records(partition);
				batch.forEach(this::deliver);
				reached.put(partition, batch.getLast().offset() + 1);
			}
		}
		finally {
			flushes.close();
		}
	}

	private void deliver(ConsumerRecord<String, String> record) {
		try {
			switch (record.topic()) {
				case Topics.MESSAGES -> fanOut.onMessageEvent(record);
				case Topics.ROOMS -> fanOut.onRoomEvent(record.value());
				case Topics.PRESENCE -> fanOut.onPresence(record.value());
				case Topics.TYPING -> fanOut.onTyping(record.value());
				case Topics.USERS -> logouts.onUserEvent(record.value());
				default -> {
				}
			}
		}
		catch (RuntimeException ex) {
			log.warn("fan-out record not delivered topic={} partition={} offset={} error={}", record.topic(),
					record.partition(), record.offset(), ex.toString());
		}
	}

	@Override
	public void stop() {
		running = false;
		KafkaConsumer<String, String> kafka = consumer;
		if (kafka != null) {
			kafka.wakeup();
		}
		if (thread != null) {
			try {
				thread.join(Duration.ofSeconds(5));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	/** Stops after {@link SocketShutdown} has closed the sockets, and before the web server. */
	@Override
	public int getPhase() {
		return Integer.MAX_VALUE - 1;
	}

}
