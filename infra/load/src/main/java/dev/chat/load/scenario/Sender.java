package dev.chat.load.scenario;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

import dev.chat.common.events.MessageEvent;
import dev.chat.common.kafka.Topics;
import dev.chat.load.target.Connection;

/**
 * Where a scenario's messages enter the system. Never blocks: the open-loop schedule calls it on
 * time and {@code accepted} runs later, when the server took the message.
 */
interface Sender extends AutoCloseable {

	void send(int msgNo, String body, Runnable accepted);

	/** Refusals by reason (error codes, exceptions). */
	Map<String, Long> refusals();

	@Override
	default void close() {
	}

	/**
	 * Sends through connections, round-robin over the first {@code active} of them: the gateway
	 * takes at most 20 sends per second on one connection, so a rate needs ceil(rate / 20).
	 */
	final class Through implements Sender {

		private final List<? extends Connection> connections;

		private final String channel;

		private volatile int active;

		private final Map<String, LongAdder> refused = new ConcurrentHashMap<>();

		Through(List<? extends Connection> connections, String channel) {
			this.connections = connections;
			this.channel = channel;
			this.active = connections.size();
		}

		/** How many connections a rate needs by the gateway's per-connection limit. */
		static int needed(double perSecond) {
			// 18, not the limit of 20: a schedule exactly at the limit meets the bucket's refill jitter
			// and gets some sends refused (rate_limited).
			return Math.max(1, (int) Math.ceil(perSecond / 18.0));
		}

		void active(int count) {
			this.active = Math.max(1, Math.min(count, connections.size()));
		}

		@Override
		public void send(int msgNo, String body, Runnable accepted) {
			connections.get(msgNo % active).publish(channel, body).subscribe(null, error -> refused
				.computeIfAbsent(String.valueOf(error.getMessage()), reason -> new LongAdder())
				.increment(), accepted);
		}

		@Override
		public Map<String, Long> refusals() {
			return snapshot(refused);
		}

	}

	/**
	 * Sends message {@code n} from connection {@code n % connections} to that connection's own
	 * channel: every member of every room sends now and then.
	 */
	final class FromMembers implements Sender {

		private final int connections;

		private final java.util.function.IntFunction<Connection> connectionOf;

		private final java.util.function.IntFunction<String> channelOf;

		private final Map<String, LongAdder> refused = new ConcurrentHashMap<>();

		FromMembers(int connections, java.util.function.IntFunction<Connection> connectionOf,
				java.util.function.IntFunction<String> channelOf) {
			this.connections = connections;
			this.connectionOf = connectionOf;
			this.channelOf = channelOf;
		}

		@Override
		public void send(int msgNo, String body, Runnable accepted) {
			int c = msgNo % connections;
			Connection connection = connectionOf.apply(c);
			if (connection == null) {
				refused.computeIfAbsent("sender not connected", reason -> new LongAdder()).increment();
				return;
			}
			connection.publish(channelOf.apply(c), body)
				.subscribe(null, error -> refused.computeIfAbsent(String.valueOf(error.getMessage()),
						reason -> new LongAdder()).increment(), accepted);
		}

		@Override
		public Map<String, Long> refusals() {
			return snapshot(refused);
		}

	}

	/**
	 * Produces {@code message.created} events straight to {@code chat.messages}, as message-service
	 * would after storing: only the gateways work, so this measures fan-out alone. Seqs continue
	 * after the room's head as the gateway saw it when subscribing (later subscriptions with a
	 * head from message-service's store, which never sees these, still take them as new).
	 */
	final class ToKafka implements Sender {

		private static final ObjectWriter EVENTS = JsonMapper.builder().build().writerFor(MessageEvent.class);

		private final KafkaProducer<String, String> producer;

		private final String roomId;

		private final String senderId;

		private final long firstSeq;

		private final Map<String, LongAdder> refused = new ConcurrentHashMap<>();

		ToKafka(String bootstrap, String roomId, String senderId, long headSeq) {
			Properties config = new Properties();
			config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
			config.put(ProducerConfig.ACKS_CONFIG, "all");
			config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
			config.put(ProducerConfig.CLIENT_ID_CONFIG, "bench-fanout");
			this.producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
			this.roomId = roomId;
			this.senderId = senderId;
			this.firstSeq = headSeq + 1;
			// The first send would otherwise wait for the topic's metadata, and the schedule with it.
			producer.partitionsFor(Topics.MESSAGES);
		}

		static String json(MessageEvent event) {
			return EVENTS.writeValueAsString(event);
		}

		@Override
		public void send(int msgNo, String body, Runnable accepted) {
			MessageEvent event = new MessageEvent.MessageCreated(UUID.randomUUID(), 1, roomId, firstSeq + msgNo,
					UUID.randomUUID().toString(), senderId, "bench-" + msgNo, body, Instant.now());
			producer.send(new ProducerRecord<>(Topics.MESSAGES, roomId, json(event)), (metadata, error) -> {
				if (error == null) {
					accepted.run();
				}
				else {
					refused.computeIfAbsent(error.getClass().getSimpleName(), reason -> new LongAdder()).increment();
				}
			});
		}

		@Override
		public Map<String, Long> refusals() {
			return snapshot(refused);
		}

		@Override
		public void close() {
			producer.close(java.time.Duration.ofSeconds(5));
		}

	}

	private static Map<String, Long> snapshot(Map<String, LongAdder> counts) {
		Map<String, Long> out = new java.util.TreeMap<>();
		counts.forEach((reason, n) -> out.put(reason, n.sum()));
		return out;
	}

}
