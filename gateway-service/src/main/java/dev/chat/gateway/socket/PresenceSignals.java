package dev.chat.gateway.socket;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.MicrometerProducerListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import dev.chat.common.events.PresenceSignal;
import dev.chat.common.kafka.Topics;
import dev.chat.gateway.GatewayProperties;

/**
 * Tells presence-service what this node's sockets are doing, and that the node is alive.
 * Signals go out on one thread in the order they happen, so a user's connected, subscribed and
 * disconnected arrive in that order (they share a partition, keyed by user). The incarnation
 * is new with every start of this process: presence-service drops whatever an earlier
 * incarnation of the node left behind.
 *
 * <p>
 * A node whose heartbeats stopped reaching Kafka for presence-service's node timeout (the broker
 * was unreachable, the process was paused) has been declared dead there, and its users reported
 * offline, while its sockets stayed open. The node notices: when a heartbeat is acknowledged
 * after such a gap, it announces every open socket and subscription again, so its users come back
 * without doing anything. It announces them twice, at once and a heartbeat interval later: the
 * heartbeat that brings the node back and the announcements travel on different partitions, and
 * announcements read before it are ignored. Announcing what presence-service still knows changes
 * nothing there, so a false alarm costs only the signals.
 */
@Component
class PresenceSignals implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(PresenceSignals.class);

	private final String incarnation = UUID.randomUUID().toString();

	/**
	 * One ordinary thread, not a Reactor one: a send may wait for Kafka's metadata (the first one,
	 * or while the broker is away), and signals must keep their order, so they wait in line here.
	 */
	private final ExecutorService ordered = Executors
		.newSingleThreadExecutor(Thread.ofPlatform().name("presence-signals").daemon().factory());

	private final ObjectWriter writer = JsonMapper.builder().build().writerFor(PresenceSignal.class);

	private final DefaultKafkaProducerFactory<String, String> producer;

	private final KafkaTemplate<String, String> kafka;

	private final SessionRegistry sessions;

	private final String nodeId;

	/** A gap between acknowledged heartbeats longer than this may have had the node declared dead. */
	private final long suspectGapNanos;

	/** When the last heartbeat was acknowledged ({@link System#nanoTime}); 0 before the first. */
	private final AtomicLong lastAcknowledged = new AtomicLong();

	private final long heartbeatNanos;

	/** When to announce every socket a second time ({@link System#nanoTime}); 0 when not due. */
	private final AtomicLong secondAnnouncementAt = new AtomicLong();

	PresenceSignals(ProducerFactory<String, String> producers, SessionRegistry sessions, GatewayProperties properties,
			ObjectProvider<MeterRegistry> meters) {
		// Signals wait up to 50 ms to share a request: a thousand sockets opening per second send
		// two thousand of them, a request costs the producer about a millisecond of CPU (measured:
		// a sixth of opening a socket at 10 ms), and presence-service's grace period is 2 s.
		Map<String, Object> config = new HashMap<>(producers.getConfigurationProperties());
		config.put(ProducerConfig.LINGER_MS_CONFIG, 50);
		config.put(ProducerConfig.CLIENT_ID_CONFIG, "presence-signals-" + properties.nodeId());
		this.producer = new DefaultKafkaProducerFactory<>(config);
		// At shutdown, what is not out in 2 s is not worth more waiting: presence-service notices
		// the node's missing heartbeat anyway.
		this.producer.setPhysicalCloseTimeout(2);
		// Not a bean, so the shared binding (KafkaClientMetricsAutoConfiguration) does not see it.
		meters.ifAvailable(registry -> this.producer.addListener(new MicrometerProducerListener<>(registry)));
		this.kafka = new KafkaTemplate<>(producer);
		this.sessions = sessions;
		this.nodeId = properties.nodeId();
		this.heartbeatNanos = properties.presenceHeartbeat().toNanos();
		this.suspectGapNanos = properties.presenceNodeTimeout().toNanos() - heartbeatNanos;
	}

	void connected(ClientSession session) {
		publish(session.userId(), new PresenceSignal.Connected(nodeId, incarnation, Instant.now(),
				session.connectionId(), session.userId(), session.username()));
	}

	void disconnected(ClientSession session) {
		publish(session.userId(), new PresenceSignal.Disconnected(nodeId, incarnation, Instant.now(),
				session.connectionId(), session.userId()));
	}

	/**
	 * A subscription is confirmed on whichever thread answered the membership check, which can
	 * race with the socket closing on its own thread. Checked on the ordered thread: once the
	 * session has ended (which happens before its disconnected is queued), a subscribed still
	 * waiting to go out would arrive after the disconnected, and is dropped.
	 */
	void subscribed(ClientSession session, String roomId) {
		PresenceSignal signal = new PresenceSignal.Subscribed(nodeId, incarnation, Instant.now(),
				session.connectionId(), session.userId(), session.username(), roomId);
		publish(session.userId(), signal, () -> !session.ended());
	}

	void unsubscribed(ClientSession session, String roomId) {
		publish(session.userId(), new PresenceSignal.Unsubscribed(nodeId, incarnation, Instant.now(),
				session.connectionId(), session.userId(), roomId));
	}

	@Scheduled(fixedRateString = "${chat.gateway.presence-heartbeat:5s}")
	void heartbeat() {
		publish(nodeId, new PresenceSignal.NodeHeartbeat(nodeId, incarnation, Instant.now(), sessions.size()), () -> true,
				this::heartbeatAcknowledged);
	}

	/**
	 * After a gap, announces at once and again a heartbeat interval later (missed heartbeats of a
	 * paused process run back to back, so "the next heartbeat" would be the same moment).
	 */
	private void heartbeatAcknowledged() {
		long now = System.nanoTime();
		long previous = lastAcknowledged.getAndSet(now);
		if (previous != 0 && now - previous > suspectGapNanos) {
			log.warn("presence heartbeats were not acknowledged for {} ms; announcing every socket again nodeId={}",
					(now - previous) / 1_000_000, nodeId);
			secondAnnouncementAt.set(now + heartbeatNanos);
			announceAll();
			return;
		}
		long second = secondAnnouncementAt.get();
		if (second != 0 && now - second >= 0 && secondAnnouncementAt.compareAndSet(second, 0)) {
			announceAll();
		}
	}

	/** Every open socket and its subscriptions, as if they had just happened. */
	private void announceAll() {
		sessions.forEach(session -> {
			connected(session);
			session.subscribedRooms().forEach(roomId -> subscribed(session, roomId));
		});
	}

	private void publish(String key, PresenceSignal signal) {
		publish(key, signal, () -> true);
	}

	private void publish(String key, PresenceSignal signal, BooleanSupplier stillTrue) {
		publish(key, signal, stillTrue, () -> {
		});
	}

	private void publish(String key, PresenceSignal signal, BooleanSupplier stillTrue, Runnable acknowledged) {
		String value = writer.writeValueAsString(signal);
		try {
			ordered.execute(() -> {
				if (!stillTrue.getAsBoolean()) {
					return;
				}
				kafka.send(Topics.PRESENCE_EVENTS, key, value).whenComplete((result, failure) -> {
					if (failure != null) {
						log.warn("presence signal not published nodeId={} key={} error={}", nodeId, key,
								failure.toString());
					}
					else {
						acknowledged.run();
					}
				});
			});
		}
		catch (RejectedExecutionException shuttingDown) {
			// The node is stopping; presence-service will notice its heartbeat ending.
		}
	}

	@Override
	public void destroy() {
		ordered.shutdown();
		producer.destroy();
	}

}
