package dev.chat.presence.tracking;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

import dev.chat.presence.node.NodeStore;
import dev.chat.presence.partition.PartitionOwnership;

/**
 * Writes the effects of a {@link Batch} of users' changes: node and grace lists, room parts,
 * {@code chat.presence}, the users' documents. Each document is written once per batch.
 *
 * <p>
 * The effects are ordered so that a crash at any point loses nothing: users are added to node
 * documents and to the grace list before their documents say so; room documents and
 * {@code chat.presence} are written next; the users' documents after that (with the offset of
 * the last record applied, so a replayed record is skipped); removals from node documents and
 * the grace list come last. A crash before the users' documents are written replays the records,
 * which recomputes the same effects from the old documents.
 *
 * <p>
 * Just before writing, the changes of users whose partition another instance has taken since
 * this one was assigned it are left out ({@link PartitionOwnership#fenced}): that instance
 * applies the same records again, from the stored documents.
 */
@Component
class BatchWriter {

	private static final Logger log = LoggerFactory.getLogger(BatchWriter.class);

	private final PartitionOwnership ownership;

	private final NodeStore nodes;

	private final UserPresenceStore users;

	private final RoomPresenceStore rooms;

	private final PresencePublisher publisher;

	private final GraceTimer graceTimer;

	BatchWriter(PartitionOwnership ownership, NodeStore nodes, UserPresenceStore users, RoomPresenceStore rooms,
			PresencePublisher publisher, GraceTimer graceTimer) {
		this.ownership = ownership;
		this.nodes = nodes;
		this.users = users;
		this.rooms = rooms;
		this.publisher = publisher;
		this.graceTimer = graceTimer;
	}

	/** Writes the effects of the batch (see the class comment); on a failure, forgets its cached users. */
	void commit(Batch batch) {
		try {
			write(batch);
		}
		catch (RuntimeException ex) {
			users.forget(batch.userIds());
			throw ex;
		}
	}

	private void write(Batch batch) {
		List<Batch.Change> all = List.copyOf(batch.changes());
		if (all.isEmpty()) {
			return;
		}
		Set<Integer> fenced = ownership.fenced(all.stream().map(Batch.Change::partition).collect(Collectors.toSet()));
		List<Batch.Change> changed = all.stream().filter(change -> !fenced.contains(change.partition())).toList();
		if (changed.size() < all.size()) {
			// Their new owner applies the same records again, from the stored documents.
			users.forget(all.stream().filter(change -> fenced.contains(change.partition())).map(Batch.Change::userId).toList());
			log.atWarn().addKeyValue("partitions", fenced).addKeyValue("users", all.size() - changed.size())
				.log("changes of users whose partition another instance owns now were not written");
		}
		if (changed.isEmpty()) {
			return;
		}
		Map<NodePart, List<String>> joined = new LinkedHashMap<>();
		Map<NodePart, List<String>> left = new LinkedHashMap<>();
		Map<Integer, List<String>> startedLeaving = new TreeMap<>();
		Map<Integer, List<String>> stoppedLeaving = new TreeMap<>();
		Map<RoomPart, Map<String, RoomPresenceStore.OnlineUser>> roomChanges = new LinkedHashMap<>();
		List<PresencePublisher.UserChange> published = new ArrayList<>();
		for (Batch.Change change : changed) {
			UserPresence before = change.before();
			UserPresence after = change.after();
			String userId = change.userId();
			int partition = change.partition();
			difference(after.nodes(), before.nodes())
				.forEach(node -> joined.computeIfAbsent(new NodePart(node, partition), n -> new ArrayList<>()).add(userId));
			difference(before.nodes(), after.nodes())
				.forEach(node -> left.computeIfAbsent(new NodePart(node, partition), n -> new ArrayList<>()).add(userId));
			if (after.leaving().stream().anyMatch(leaving -> !before.leaving().contains(leaving))) {
				startedLeaving.computeIfAbsent(partition, p -> new ArrayList<>()).add(userId);
			}
			if (after.leaving().isEmpty() && !before.leaving().isEmpty()) {
				stoppedLeaving.computeIfAbsent(partition, p -> new ArrayList<>()).add(userId);
			}
			for (RoomChange room : change.changes()) {
				roomChanges.computeIfAbsent(new RoomPart(room.roomId(), partition), r -> new LinkedHashMap<>())
					.put(userId, room instanceof RoomChange.CameOnline online
							? new RoomPresenceStore.OnlineUser(userId, after.username(), online.since()) : null);
				published.add(new PresencePublisher.UserChange(userId, after.username(), room));
			}
		}
		joined.forEach((part, userIds) -> nodes.add(part.node().nodeId(), part.node().incarnation(), part.partition(), userIds));
		startedLeaving.forEach(graceTimer::remember);
		roomChanges.forEach((part, changes) -> rooms.apply(part.roomId(), part.partition(), changes));
		publisher.publish(published);
		users.saveAll(changed.stream().map(Batch.Change::after).toList());
		left.forEach((part, userIds) -> nodes.remove(part.node().nodeId(), part.node().incarnation(), part.partition(), userIds));
		stoppedLeaving.forEach(graceTimer::forget);
		for (Batch.Change change : changed) {
			if (!change.after().leaving().isEmpty()) {
				graceTimer.at(change.after().nextDeadline(), change.userId(), change.partition());
			}
		}
		published.forEach(change -> log.atInfo()
			.addKeyValue("userId", change.userId())
			.addKeyValue("roomId", change.change().roomId())
			.addKeyValue("status", change.status())
			.log("presence changed"));
	}

	/** A node incarnation's list of users in one partition ({@link NodeStore}). */
	private record NodePart(UserPresence.NodeIncarnation node, int partition) {
	}

	/** A room's online list in one partition ({@link RoomPresenceStore}). */
	private record RoomPart(String roomId, int partition) {
	}

	private static <T> Set<T> difference(Set<T> a, Set<T> b) {
		Set<T> difference = new HashSet<>(a);
		difference.removeAll(b);
		return difference;
	}

}
