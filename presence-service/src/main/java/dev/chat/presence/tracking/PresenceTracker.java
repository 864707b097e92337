package dev.chat.presence.tracking;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.chat.common.events.PresenceSignal;
import dev.chat.presence.PresenceProperties;
import dev.chat.presence.node.Admission;
import dev.chat.presence.node.NodeRegistry;
import dev.chat.presence.node.NodeStore;
import dev.chat.presence.partition.PartitionOwnership;

/**
 * Applies what gateway nodes report to each user's {@link UserPresence} and publishes what
 * changes. Three things change users: their signals (a batch of records at a time), the drop of a
 * node incarnation they had connections on, and the end of grace periods. Each runs under the
 * users' locks as: read the users' documents (from the cache, mostly), apply and
 * {@link UserPresence#reconcile reconcile}, then write the effects of the whole {@link Batch}:
 * the {@link BatchWriter} writes them, in an order that survives a crash.
 *
 * <p>
 * With several instances, each writes only for the users of the partitions it owns
 * ({@link PartitionOwnership}): drops and grace checks run only on partitions still owned, and
 * the writer leaves out the changes of a partition another instance has taken since (fenced).
 */
@Component
public class PresenceTracker implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(PresenceTracker.class);

	private static final Duration RETRY = Duration.ofSeconds(1);

	/** Users per batch of a drop or a grace check. */
	private static final int CHUNK = 200;

	private final ScheduledExecutorService drops = Executors
		.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("presence-node-drops").daemon().factory());

	private final NodeRegistry registry;

	private final PartitionOwnership ownership;

	private final NodeStore nodes;

	private final UserPresenceStore users;

	private final BatchWriter writer;

	private final GraceTimer graceTimer;

	private final UserLocks locks;

	private final Duration grace;

	private final Clock clock;

	private volatile boolean running;

	PresenceTracker(NodeRegistry registry, PartitionOwnership ownership, NodeStore nodes, UserPresenceStore users,
			BatchWriter writer, GraceTimer graceTimer, UserLocks locks, PresenceProperties properties, Clock clock) {
		this.registry = registry;
		this.ownership = ownership;
		this.nodes = nodes;
		this.users = users;
		this.writer = writer;
		this.graceTimer = graceTimer;
		this.locks = locks;
		this.grace = properties.grace();
		this.clock = clock;
	}

	/**
	 * A record of {@code chat.presence.events}, decoded and checked.
	 *
	 * @param userId the user of a connection or subscription signal; null for a heartbeat
	 */
	public record SignalRecord(PresenceSignal signal, String userId, int partition, long offset) {
	}

	/**
	 * Applies records read from {@code chat.presence.events}, in their order. Heartbeats register
	 * nodes and incarnations (an incarnation they replace is dropped); signals of a retired
	 * incarnation change nothing.
	 */
	public void apply(List<SignalRecord> records) {
		Map<String, List<SignalRecord>> byUser = new LinkedHashMap<>();
		for (SignalRecord record : records) {
			boolean heartbeat = record.signal() instanceof PresenceSignal.NodeHeartbeat;
			if (admit(record.signal(), heartbeat) && !heartbeat) {
				byUser.computeIfAbsent(record.userId(), user -> new ArrayList<>()).add(record);
			}
		}
		if (byUser.isEmpty()) {
			return;
		}
		registry.whileUnchanged(() -> locks.runAll(byUser.keySet(), () -> {
			Instant now = now();
			Batch batch = new Batch();
			byUser.forEach((userId, signals) -> {
				UserPresence stored = users.find(userId);
				UserPresence state = stored;
				List<RoomChange> changes = new ArrayList<>();
				for (SignalRecord record : signals) {
					PresenceSignal signal = record.signal();
					if (state.alreadyApplied(record.partition(), record.offset())) {
						continue;
					}
					if (!registry.isCurrent(signal.nodeId(), signal.incarnation())) {
						log.atDebug()
							.addKeyValue("nodeId", signal.nodeId())
							.addKeyValue("incarnation", signal.incarnation())
							.addKeyValue("userId", userId)
							.log("signal of a retired incarnation ignored");
						continue;
					}
					UserPresence.Reconciliation reconciled = applied(state, signal, now)
						.applied(record.partition(), record.offset())
						.reconcile(now, grace);
					state = reconciled.next();
					changes.addAll(reconciled.changes());
				}
				batch.add(stored, state, changes);
			});
			commit(batch);
		}));
	}

	private static UserPresence applied(UserPresence user, PresenceSignal signal, Instant now) {
		return switch (signal) {
			case PresenceSignal.Connected c ->
				user.connected(c.connectionId(), c.nodeId(), c.incarnation(), c.username(), now);
			case PresenceSignal.Subscribed s ->
				user.subscribed(s.connectionId(), s.nodeId(), s.incarnation(), s.username(), s.roomId(), now);
			case PresenceSignal.Unsubscribed u -> user.unsubscribed(u.connectionId(), u.roomId());
			case PresenceSignal.Disconnected d -> user.disconnected(d.connectionId());
			case PresenceSignal.NodeHeartbeat h -> user;
		};
	}

	/**
	 * A heartbeat of {@code incarnation} read by the heartbeat watcher, which this instance has not
	 * admitted yet: registers it (retiring the incarnation it replaces) or revives it.
	 */
	public void heard(String nodeId, String incarnation, Instant sentAt) {
		admit(nodeId, incarnation, sentAt, true);
	}

	private boolean admit(PresenceSignal signal, boolean heartbeat) {
		return admit(signal.nodeId(), signal.incarnation(),
				signal.occurredAt() != null ? signal.occurredAt() : now(), heartbeat);
	}

	private boolean admit(String nodeId, String incarnation, Instant sentAt, boolean heartbeat) {
		return switch (registry.admit(nodeId, incarnation, sentAt, heartbeat)) {
			case Admission.Accepted accepted -> true;
			case Admission.Ignored ignored -> false;
			case Admission.Replaced replaced -> {
				// The users of the old incarnation are probably reconnecting right now: with grace.
				dropLater(replaced.nodeId(), replaced.previous(), grace);
				yield true;
			}
		};
	}

	/**
	 * Kafka assigned these partitions of {@code chat.presence.events} to this instance (at start,
	 * or taking them over from another): adopts what their previous owner knew of the nodes, then,
	 * on the drop thread, resumes what it left running there: grace periods (each gets a full
	 * period from now) and drops of retired incarnations. Called on the listener thread, before the
	 * partitions' first records.
	 */
	public void assigned(Collection<Integer> partitions) {
		ownership.assigned(partitions);
		for (int partition : partitions) {
			try {
				registry.adopt(partition);
			}
			catch (RuntimeException ex) {
				// What this instance knows of the nodes is enough to go on with.
				log.atWarn().addKeyValue("partition", partition).setCause(ex).log("adopting the node registry failed");
			}
		}
		Instant resumed = now().plus(grace);
		onDropThread("resuming the work of assigned partitions", () -> {
			for (int partition : partitions) {
				ownership.whileOwned(partition, () -> graceTimer.remembered(partition)
					.forEach(userId -> graceTimer.at(resumed, userId, partition)));
			}
			registry.retired()
				.forEach(retired -> drop(retired.nodeId(), retired.incarnation(), grace, partitions));
		});
	}

	/**
	 * Kafka took these partitions away: waits for the drops and grace checks running on them,
	 * then forgets their users (another instance writes for them now). Called on the listener
	 * thread.
	 */
	public void revoked(Collection<Integer> partitions) {
		ownership.revoked(partitions);
		graceTimer.cancel(partitions);
		users.forgetPartitions(partitions);
	}

	/**
	 * Drops every connection of a retired incarnation in the partitions this instance owns, on the
	 * drop thread, retrying until it has succeeded; offline changes wait for {@code grace} (zero:
	 * published at once).
	 */
	public void dropLater(String nodeId, String incarnation, Duration grace) {
		onDropThread("dropping the connections of a node",
				() -> drop(nodeId, incarnation, grace, ownership.owned()));
	}

	/** Runs {@code task} on the drop thread, again a second after each failure. */
	private void onDropThread(String what, Runnable task) {
		drops.execute(() -> {
			try {
				task.run();
			}
			catch (RuntimeException ex) {
				log.atWarn().addKeyValue("task", what).setCause(ex).log("work on the drop thread failed; retrying in 1 s");
				drops.schedule(() -> onDropThread(what, task), RETRY.toMillis(), TimeUnit.MILLISECONDS);
			}
		});
	}

	private void drop(String nodeId, String incarnation, Duration grace, Collection<Integer> partitions) {
		for (int partition : partitions) {
			ownership.whileOwned(partition, () -> {
				List<String> held = nodes.users(nodeId, incarnation, partition);
				for (List<String> chunk : chunks(held)) {
					locks.runAll(chunk, () -> {
						Instant now = now();
						Batch batch = new Batch();
						for (String userId : chunk) {
							UserPresence stored = users.find(userId);
							if (stored.hasConnectionOn(nodeId, incarnation)) {
								batch.add(stored, stored.withoutIncarnation(nodeId, incarnation).reconcile(now, grace));
							}
						}
						commit(batch);
					});
				}
				nodes.delete(nodeId, incarnation, partition);
				if (!held.isEmpty()) {
					log.atInfo()
						.addKeyValue("nodeId", nodeId)
						.addKeyValue("incarnation", incarnation)
						.addKeyValue("partition", partition)
						.addKeyValue("users", held.size())
						.log("connections of a retired node incarnation dropped");
				}
			});
		}
	}

	/** The check at the end of grace periods: publishes offline where no connection came back. */
	private void recheck(List<GraceTimer.Pending> due) {
		Map<Integer, List<String>> byPartition = new TreeMap<>();
		due.forEach(pending -> byPartition.computeIfAbsent(pending.partition(), p -> new ArrayList<>())
			.add(pending.userId()));
		// A partition no longer owned is skipped: its new owner checks its users again.
		byPartition.forEach((partition, userIds) -> ownership.whileOwned(partition, () -> {
			for (List<String> chunk : chunks(userIds)) {
				try {
					recheck(partition, chunk);
				}
				catch (RuntimeException ex) {
					log.atWarn().addKeyValue("users", chunk.size()).setCause(ex).log("grace check failed; retrying");
					chunk.forEach(userId -> graceTimer.at(now().plus(RETRY), userId, partition));
				}
			}
		}));
	}

	private void recheck(int partition, List<String> chunk) {
		locks.runAll(chunk, () -> {
			Instant now = now();
			Batch batch = new Batch();
			List<String> settled = new ArrayList<>();
			for (String userId : chunk) {
				UserPresence stored = users.find(userId);
				if (stored.leaving().isEmpty()) {
					// Cancelled by a subscription, or remembered just before a crash.
					settled.add(userId);
				}
				else {
					UserPresence.Reconciliation reconciled = stored.reconcile(now, grace);
					batch.add(stored, reconciled);
					if (reconciled.next().equals(stored)) {
						// Not due yet (a clock step, say): look again at the deadline.
						Instant deadline = stored.nextDeadline();
						graceTimer.at(deadline.isAfter(now) ? deadline : now.plus(RETRY), userId, partition);
					}
				}
			}
			commit(batch);
			if (!settled.isEmpty()) {
				graceTimer.forget(partition, settled);
			}
		});
	}

	private void commit(Batch batch) {
		writer.commit(batch);
	}

	private static List<List<String>> chunks(List<String> userIds) {
		List<List<String>> chunks = new ArrayList<>();
		for (int from = 0; from < userIds.size(); from += CHUNK) {
			chunks.add(userIds.subList(from, Math.min(userIds.size(), from + CHUNK)));
		}
		return chunks;
	}

	private Instant now() {
		return clock.instant().truncatedTo(ChronoUnit.MILLIS);
	}

	/**
	 * Starts the grace checks, before the listeners start; what a previous run left unfinished is
	 * resumed partition by partition as Kafka assigns them ({@link #assigned}).
	 */
	@Override
	public void start() {
		graceTimer.start(this::recheck);
		running = true;
	}

	@Override
	public void stop() {
		running = false;
		drops.shutdown();
		try {
			drops.awaitTermination(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 100;
	}

}
