package dev.chat.presence.tracking;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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

/**
 * Applies what gateway nodes report to each user's {@link UserPresence} and publishes what
 * changes. Three things change a user: a signal of theirs, the drop of a node incarnation they
 * had connections on, and the end of a grace period. Each runs under the user's lock as: read
 * the user's document, {@link UserPresence#reconcile reconcile}, write the effects, write the
 * document.
 *
 * <p>
 * The effects are ordered so that a crash at any point loses nothing: the user is added to a node
 * document and to the grace list before the user's document says so; room documents and
 * {@code chat.presence} are written next; the user's document last (with the offset of the
 * record applied, so a replayed record is skipped); removals from node documents and the grace
 * list come after it. A crash before the user's document is written replays the record, which
 * recomputes the same effects from the old document.
 */
@Component
public class PresenceTracker implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(PresenceTracker.class);

	private static final Duration RETRY = Duration.ofSeconds(1);

	private final ScheduledExecutorService drops = Executors
		.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("presence-node-drops").daemon().factory());

	private final NodeRegistry registry;

	private final NodeStore nodes;

	private final UserPresenceStore users;

	private final RoomPresenceStore rooms;

	private final PresencePublisher publisher;

	private final GraceTimer graceTimer;

	private final UserLocks locks;

	private final Duration grace;

	private final Clock clock;

	private volatile boolean running;

	PresenceTracker(NodeRegistry registry, NodeStore nodes, UserPresenceStore users, RoomPresenceStore rooms,
			PresencePublisher publisher, GraceTimer graceTimer, UserLocks locks, PresenceProperties properties,
			Clock clock) {
		this.registry = registry;
		this.nodes = nodes;
		this.users = users;
		this.rooms = rooms;
		this.publisher = publisher;
		this.graceTimer = graceTimer;
		this.locks = locks;
		this.grace = properties.grace();
		this.clock = clock;
	}

	/**
	 * Applies a heartbeat: a node or incarnation seen for the first time is registered, and an
	 * incarnation it replaces is dropped.
	 */
	public void heartbeat(PresenceSignal.NodeHeartbeat heartbeat) {
		admit(heartbeat, true);
	}

	/**
	 * Applies a connection or subscription signal, read from {@code partition} at {@code offset}.
	 * Signals of a retired incarnation change nothing.
	 */
	public void apply(PresenceSignal signal, String userId, int partition, long offset) {
		if (!admit(signal, false)) {
			return;
		}
		boolean current = registry.whileCurrent(signal.nodeId(), signal.incarnation(),
				() -> locks.run(userId, () -> {
					UserPresence stored = users.find(userId);
					if (stored.alreadyApplied(partition, offset)) {
						return;
					}
					Instant now = now();
					UserPresence changed = switch (signal) {
						case PresenceSignal.Connected c ->
							stored.connected(c.connectionId(), c.nodeId(), c.incarnation(), c.username(), now);
						case PresenceSignal.Subscribed s -> stored.subscribed(s.connectionId(), s.nodeId(),
								s.incarnation(), s.username(), s.roomId(), now);
						case PresenceSignal.Unsubscribed u -> stored.unsubscribed(u.connectionId(), u.roomId());
						case PresenceSignal.Disconnected d -> stored.disconnected(d.connectionId());
						case PresenceSignal.NodeHeartbeat h -> stored;
					};
					store(stored, changed.applied(partition, offset).reconcile(now, grace));
				}));
		if (!current) {
			log.atDebug()
				.addKeyValue("nodeId", signal.nodeId())
				.addKeyValue("incarnation", signal.incarnation())
				.addKeyValue("userId", userId)
				.log("signal of a retired incarnation ignored");
		}
	}

	private boolean admit(PresenceSignal signal, boolean heartbeat) {
		Instant sentAt = signal.occurredAt() != null ? signal.occurredAt() : now();
		return switch (registry.admit(signal.nodeId(), signal.incarnation(), sentAt, heartbeat)) {
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
	 * Drops every connection of a retired incarnation, on the drop thread, retrying until it has
	 * succeeded; offline changes wait for {@code grace} (zero: published at once).
	 */
	public void dropLater(String nodeId, String incarnation, Duration grace) {
		drops.execute(() -> {
			try {
				drop(nodeId, incarnation, grace);
			}
			catch (RuntimeException ex) {
				log.atWarn()
					.addKeyValue("nodeId", nodeId)
					.addKeyValue("incarnation", incarnation)
					.setCause(ex)
					.log("dropping the connections of a node failed; retrying");
				drops.schedule(() -> dropLater(nodeId, incarnation, grace), RETRY.toMillis(), TimeUnit.MILLISECONDS);
			}
		});
	}

	private void drop(String nodeId, String incarnation, Duration grace) {
		List<String> held = nodes.users(nodeId, incarnation);
		for (String userId : held) {
			locks.run(userId, () -> {
				UserPresence stored = users.find(userId);
				if (stored.hasConnectionOn(nodeId, incarnation)) {
					store(stored, stored.withoutIncarnation(nodeId, incarnation).reconcile(now(), grace));
				}
			});
		}
		nodes.delete(nodeId, incarnation);
		registry.dropped(nodeId, incarnation);
		log.atInfo()
			.addKeyValue("nodeId", nodeId)
			.addKeyValue("incarnation", incarnation)
			.addKeyValue("users", held.size())
			.log("connections of a retired node incarnation dropped");
	}

	/** The check at the end of a grace period: publishes offline where no connection came back. */
	private void recheck(String userId) {
		try {
			locks.run(userId, () -> {
				UserPresence stored = users.find(userId);
				if (stored.leaving().isEmpty()) {
					// Cancelled by a subscription, or remembered just before a crash.
					graceTimer.forget(userId);
					return;
				}
				UserPresence after = store(stored, stored.reconcile(now(), grace));
				if (!after.leaving().isEmpty()) {
					graceTimer.at(after.nextDeadline(), () -> recheck(userId));
				}
			});
		}
		catch (RuntimeException ex) {
			log.atWarn().addKeyValue("userId", userId).setCause(ex).log("grace check failed; retrying");
			graceTimer.at(now().plus(RETRY), () -> recheck(userId));
		}
	}

	private UserPresence store(UserPresence before, UserPresence.Reconciliation reconciliation) {
		UserPresence after = reconciliation.next();
		if (after.equals(before)) {
			return after;
		}
		String userId = after.userId();
		Set<UserPresence.NodeIncarnation> joined = new HashSet<>(after.nodes());
		joined.removeAll(before.nodes());
		joined.forEach(node -> nodes.addUser(node.nodeId(), node.incarnation(), userId));
		boolean newLeaving = after.leaving().stream().anyMatch(l -> !before.leaving().contains(l));
		if (newLeaving) {
			graceTimer.remember(userId);
		}
		for (RoomChange change : reconciliation.changes()) {
			switch (change) {
				case RoomChange.CameOnline online -> rooms.online(online.roomId(), userId, after.username(),
						online.since());
				case RoomChange.WentOffline offline -> rooms.offline(offline.roomId(), userId);
			}
		}
		publisher.publish(userId, after.username(), reconciliation.changes());
		users.save(after);
		Set<UserPresence.NodeIncarnation> left = new HashSet<>(before.nodes());
		left.removeAll(after.nodes());
		left.forEach(node -> nodes.removeUser(node.nodeId(), node.incarnation(), userId));
		if (newLeaving) {
			graceTimer.at(after.nextDeadline(), () -> recheck(userId));
		}
		if (after.leaving().isEmpty() && !before.leaving().isEmpty()) {
			graceTimer.forget(userId);
		}
		reconciliation.changes()
			.forEach(change -> log.atInfo()
				.addKeyValue("userId", userId)
				.addKeyValue("roomId", change.roomId())
				.addKeyValue("status", change instanceof RoomChange.CameOnline ? "online" : "offline")
				.log("presence changed"));
		return after;
	}

	private Instant now() {
		return clock.instant().truncatedTo(ChronoUnit.MILLIS);
	}

	/**
	 * Resumes what a previous run left unfinished: drops of retired incarnations and grace
	 * periods (each gets a full period from now). Runs before the listeners start.
	 */
	@Override
	public void start() {
		registry.pendingDrops().forEach(pending -> dropLater(pending.nodeId(), pending.incarnation(), grace));
		for (String userId : graceTimer.remembered()) {
			graceTimer.at(now().plus(grace), () -> recheck(userId));
		}
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
