package dev.chat.presence.tracking;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * changes. Three things change users: their signals (a batch of records at a time), the drop of a
 * node incarnation they had connections on, and the end of grace periods. Each runs under the
 * users' locks as: read the users' documents (from the cache, mostly), apply and
 * {@link UserPresence#reconcile reconcile}, then write the effects of the whole {@link Batch}.
 *
 * <p>
 * The effects are ordered so that a crash at any point loses nothing: users are added to node
 * documents and to the grace list before their documents say so; room documents and
 * {@code chat.presence} are written next; the users' documents after that (with the offset of
 * the last record applied, so a replayed record is skipped); removals from node documents and
 * the grace list come last. A crash before the users' documents are written replays the records,
 * which recomputes the same effects from the old documents.
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
		nodes.delete(nodeId, incarnation);
		registry.dropped(nodeId, incarnation);
		log.atInfo()
			.addKeyValue("nodeId", nodeId)
			.addKeyValue("incarnation", incarnation)
			.addKeyValue("users", held.size())
			.log("connections of a retired node incarnation dropped");
	}

	/** The check at the end of grace periods: publishes offline where no connection came back. */
	private void recheck(List<String> due) {
		for (List<String> chunk : chunks(due)) {
			try {
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
								graceTimer.at(deadline.isAfter(now) ? deadline : now.plus(RETRY), userId);
							}
						}
					}
					commit(batch);
					if (!settled.isEmpty()) {
						graceTimer.forget(settled);
					}
				});
			}
			catch (RuntimeException ex) {
				log.atWarn().addKeyValue("users", chunk.size()).setCause(ex).log("grace check failed; retrying");
				chunk.forEach(userId -> graceTimer.at(now().plus(RETRY), userId));
			}
		}
	}

	/** Writes the effects of a batch in the order that survives a crash (see the class comment). */
	private void commit(Batch batch) {
		try {
			write(batch);
		}
		catch (RuntimeException ex) {
			users.forget(batch.userIds());
			throw ex;
		}
	}

	private void write(Batch batch) {
		List<Batch.Change> changed = List.copyOf(batch.changes());
		if (changed.isEmpty()) {
			return;
		}
		Map<UserPresence.NodeIncarnation, List<String>> joined = new LinkedHashMap<>();
		Map<UserPresence.NodeIncarnation, List<String>> left = new LinkedHashMap<>();
		List<String> startedLeaving = new ArrayList<>();
		List<String> stoppedLeaving = new ArrayList<>();
		Map<String, Map<String, RoomPresenceStore.OnlineUser>> roomChanges = new LinkedHashMap<>();
		List<PresencePublisher.UserChange> published = new ArrayList<>();
		for (Batch.Change change : changed) {
			UserPresence before = change.before();
			UserPresence after = change.after();
			String userId = change.userId();
			difference(after.nodes(), before.nodes())
				.forEach(node -> joined.computeIfAbsent(node, n -> new ArrayList<>()).add(userId));
			difference(before.nodes(), after.nodes())
				.forEach(node -> left.computeIfAbsent(node, n -> new ArrayList<>()).add(userId));
			if (after.leaving().stream().anyMatch(leaving -> !before.leaving().contains(leaving))) {
				startedLeaving.add(userId);
			}
			if (after.leaving().isEmpty() && !before.leaving().isEmpty()) {
				stoppedLeaving.add(userId);
			}
			for (RoomChange room : change.changes()) {
				roomChanges.computeIfAbsent(room.roomId(), r -> new LinkedHashMap<>())
					.put(userId, room instanceof RoomChange.CameOnline online
							? new RoomPresenceStore.OnlineUser(userId, after.username(), online.since()) : null);
				published.add(new PresencePublisher.UserChange(userId, after.username(), room));
			}
		}
		joined.forEach((node, userIds) -> nodes.add(node.nodeId(), node.incarnation(), userIds));
		if (!startedLeaving.isEmpty()) {
			graceTimer.remember(startedLeaving);
		}
		roomChanges.forEach(rooms::apply);
		publisher.publish(published);
		users.saveAll(changed.stream().map(Batch.Change::after).toList());
		left.forEach((node, userIds) -> nodes.remove(node.nodeId(), node.incarnation(), userIds));
		if (!stoppedLeaving.isEmpty()) {
			graceTimer.forget(stoppedLeaving);
		}
		for (Batch.Change change : changed) {
			if (!change.after().leaving().isEmpty()) {
				graceTimer.at(change.after().nextDeadline(), change.userId());
			}
		}
		published.forEach(change -> log.atInfo()
			.addKeyValue("userId", change.userId())
			.addKeyValue("roomId", change.change().roomId())
			.addKeyValue("status", change.status())
			.log("presence changed"));
	}

	private static <T> Set<T> difference(Set<T> a, Set<T> b) {
		Set<T> difference = new HashSet<>(a);
		difference.removeAll(b);
		return difference;
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
	 * Resumes what a previous run left unfinished: drops of retired incarnations and grace
	 * periods (each gets a full period from now). Runs before the listeners start.
	 */
	@Override
	public void start() {
		graceTimer.start(this::recheck);
		registry.pendingDrops().forEach(pending -> dropLater(pending.nodeId(), pending.incarnation(), grace));
		Instant resumed = now().plus(grace);
		graceTimer.remembered().forEach(userId -> graceTimer.at(resumed, userId));
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
