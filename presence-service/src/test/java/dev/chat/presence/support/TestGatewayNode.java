package dev.chat.presence.support;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import tools.jackson.databind.json.JsonMapper;

import dev.chat.common.events.PresenceSignal;
import dev.chat.common.kafka.Topics;

/**
 * Plays a gateway node towards presence-service: publishes the {@link PresenceSignal} records a
 * node publishes (keyed as a node keys them) on the real Kafka, and heartbeats on a timer until
 * {@link #silence() silenced} or closed, like a process that was killed. Each send waits for
 * Kafka's acknowledgement, so a test knows its signals are on the topic, in order.
 */
public final class TestGatewayNode implements AutoCloseable {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final String nodeId;

	private final KafkaProducer<String, String> producer;

	private final ScheduledExecutorService timer;

	private final Duration heartbeatInterval;

	private volatile String incarnation = UUID.randomUUID().toString();

	private ScheduledFuture<?> heartbeats;

	/** A socket of a user on this node. */
	public record Connection(String connectionId, String userId, String username, String incarnation) {
	}

	private TestGatewayNode(String bootstrapServers, String nodeId, Duration heartbeatInterval) {
		this.nodeId = nodeId;
		this.heartbeatInterval = heartbeatInterval;
		this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
				ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 0), new StringSerializer(),
				new StringSerializer());
		this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().factory());
	}

	/** A node with a fresh name that heartbeats every {@code heartbeatInterval}, starting now. */
	public static TestGatewayNode start(String bootstrapServers, Duration heartbeatInterval) {
		TestGatewayNode node = new TestGatewayNode(bootstrapServers, "node-" + UUID.randomUUID().toString().substring(0, 8),
				heartbeatInterval);
		node.heartbeat();
		node.beat();
		return node;
	}

	public String nodeId() {
		return nodeId;
	}

	public String incarnation() {
		return incarnation;
	}

	public Connection connect(String userId, String username) {
		Connection connection = new Connection(UUID.randomUUID().toString(), userId, username, incarnation);
		send(userId, new PresenceSignal.Connected(nodeId, incarnation, Instant.now(), connection.connectionId(),
				userId, username));
		return connection;
	}

	public void subscribe(Connection connection, String roomId) {
		send(connection.userId(), new PresenceSignal.Subscribed(nodeId, connection.incarnation(), Instant.now(),
				connection.connectionId(), connection.userId(), connection.username(), roomId));
	}

	/** Connects and subscribes to {@code roomId}, as a client does right after opening its socket. */
	public Connection join(String userId, String username, String roomId) {
		Connection connection = connect(userId, username);
		subscribe(connection, roomId);
		return connection;
	}

	public void unsubscribe(Connection connection, String roomId) {
		send(connection.userId(), new PresenceSignal.Unsubscribed(nodeId, connection.incarnation(), Instant.now(),
				connection.connectionId(), connection.userId(), roomId));
	}

	public void disconnect(Connection connection) {
		send(connection.userId(), new PresenceSignal.Disconnected(nodeId, connection.incarnation(), Instant.now(),
				connection.connectionId(), connection.userId()));
	}

	/** Stops heartbeating, as a node does that was killed. */
	public synchronized void silence() {
		if (heartbeats != null) {
			heartbeats.cancel(false);
			heartbeats = null;
		}
	}

	/** Comes back as a new process: a new incarnation, heartbeating at once. */
	public synchronized void restart() {
		silence();
		incarnation = UUID.randomUUID().toString();
		heartbeat();
		beat();
	}

	/** Heartbeats again with the same incarnation, as a node does that was cut off from Kafka. */
	public synchronized void resume() {
		silence();
		heartbeat();
		beat();
	}

	/** Publishes a heartbeat of the current incarnation now. */
	public void heartbeat() {
		send(nodeId, new PresenceSignal.NodeHeartbeat(nodeId, incarnation, Instant.now(), 0));
	}

	/** Publishes any record value with the given key, readable or not. */
	public void sendRaw(String key, String value) {
		try {
			producer.send(new ProducerRecord<>(Topics.PRESENCE_EVENTS, key, value)).get(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("Kafka did not take the record", ex);
		}
	}

	public void send(String key, PresenceSignal signal) {
		sendRaw(key, JSON.writerFor(PresenceSignal.class).writeValueAsString(signal));
	}

	private synchronized void beat() {
		heartbeats = timer.scheduleAtFixedRate(this::heartbeat, heartbeatInterval.toMillis(),
				heartbeatInterval.toMillis(), TimeUnit.MILLISECONDS);
	}

	@Override
	public void close() {
		silence();
		timer.shutdownNow();
		producer.close(Duration.ofSeconds(2));
	}

}
