package dev.chat.presence.tracking;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Everything about one user's presence, stored as one document ({@code _id = userId} in
 * {@code users}) so that every decision about the user reads one document by id and writes it
 * whole: their live connections with the rooms each is subscribed to, the rooms in which they
 * are reported online, and the rooms they are leaving (no subscribed connection left, offline
 * not yet published because the grace period is running).
 *
 * <p>
 * Immutable: every change returns a new value, and {@link #reconcile} turns the difference
 * between the connections and what was reported into the {@link RoomChange}s to publish.
 *
 * @param ended the user's connections that ended most recently ({@value #ENDED_KEPT}): a
 * subscription the gateway confirmed while the socket was closing can arrive after the
 * disconnect, and must not open the connection again (the user would stay online for good)
 * @param applied the last record of {@code chat.presence.events} applied to this user: a record
 * read again after a crash (the offset was not committed yet) is recognised and skipped, so
 * replaying a connect, subscribe, disconnect sequence cannot flap the user
 */
record UserPresence(String userId, String username, List<Connection> connections, List<Online> online,
		List<Leaving> leaving, List<String> ended, Applied applied) {

	/** Connections remembered as ended, the newest last. */
	static final int ENDED_KEPT = 8;

	UserPresence {
		connections = List.copyOf(connections);
		online = List.copyOf(online);
		leaving = List.copyOf(leaving);
		ended = List.copyOf(ended);
	}

	/**
	 * A live socket of the user on a gateway node.
	 *
	 * @param rooms the rooms it is subscribed to, in subscription order
	 */
	record Connection(String connectionId, String nodeId, String incarnation, Instant connectedAt,
			List<String> rooms) {

		Connection {
			rooms = List.copyOf(rooms);
		}

		boolean on(String nodeId, String incarnation) {
			return this.nodeId.equals(nodeId) && this.incarnation.equals(incarnation);
		}

	}

	/** The user is reported online in the room since {@code since}. */
	record Online(String roomId, Instant since) {
	}

	/**
	 * The user's last subscribed connection to the room ended at {@code leftAt}; unless one comes
	 * back before {@code deadline}, offline is published then.
	 */
	record Leaving(String roomId, Instant leftAt, Instant deadline) {
	}

	/** A record of {@code chat.presence.events} by partition and offset. */
	record Applied(int partition, long offset) {
	}

	/** The result of {@link #reconcile}: the new state and what to publish. */
	record Reconciliation(UserPresence next, List<RoomChange> changes) {
	}

	static UserPresence empty(String userId) {
		return new UserPresence(userId, null, List.of(), List.of(), List.of(), List.of(), null);
	}

	boolean alreadyApplied(int partition, long offset) {
		return applied != null && applied.partition() == partition && applied.offset() >= offset;
	}

	/**
	 * The partition of {@code chat.presence.events} the user's signals are read from (they are
	 * keyed by user), which decides the instance that writes for the user; -1 before the first.
	 */
	int partition() {
		return applied == null ? -1 : applied.partition();
	}

	UserPresence applied(int partition, long offset) {
		return new UserPresence(userId, username, connections, online, leaving, ended,
				new Applied(partition, offset));
	}

	UserPresence connected(String connectionId, String nodeId, String incarnation, String username, Instant at) {
		if (ended.contains(connectionId)) {
			return this;
		}
		if (connection(connectionId) != null) {
			return named(username);
		}
		List<Connection> next = new ArrayList<>(connections);
		next.add(new Connection(connectionId, nodeId, incarnation, at, List.of()));
		return new UserPresence(userId, nameOr(username), next, online, leaving, ended, applied);
	}

	/**
	 * Subscribes the connection, opening it first if its opening was never seen; nothing for a
	 * connection that has ended.
	 */
	UserPresence subscribed(String connectionId, String nodeId, String incarnation, String username, String roomId,
			Instant at) {
		if (ended.contains(connectionId)) {
			return this;
		}
		UserPresence open = connected(connectionId, nodeId, incarnation, username, at);
		return open.withConnection(connectionId, c -> c.rooms().contains(roomId) ? c
				: new Connection(c.connectionId(), c.nodeId(), c.incarnation(), c.connectedAt(),
						Stream.concat(c.rooms().stream(), Stream.of(roomId)).toList()));
	}

	UserPresence unsubscribed(String connectionId, String roomId) {
		return withConnection(connectionId, c -> new Connection(c.connectionId(), c.nodeId(), c.incarnation(),
				c.connectedAt(), c.rooms().stream().filter(room -> !room.equals(roomId)).toList()));
	}

	UserPresence disconnected(String connectionId) {
		UserPresence without = without(c -> c.connectionId().equals(connectionId));
		if (ended.contains(connectionId)) {
			return without;
		}
		List<String> nextEnded = new ArrayList<>(ended);
		nextEnded.add(connectionId);
		return new UserPresence(userId, username, without.connections, online, leaving,
				nextEnded.subList(Math.max(0, nextEnded.size() - ENDED_KEPT), nextEnded.size()), applied);
	}

	/** Without every connection of that incarnation of the node (it restarted or died). */
	UserPresence withoutIncarnation(String nodeId, String incarnation) {
		return without(c -> c.on(nodeId, incarnation));
	}

	boolean hasConnectionOn(String nodeId, String incarnation) {
		return connections.stream().anyMatch(c -> c.on(nodeId, incarnation));
	}

	/** The node incarnations this user has connections on. */
	Set<NodeIncarnation> nodes() {
		Set<NodeIncarnation> nodes = new LinkedHashSet<>();
		connections.forEach(c -> nodes.add(new NodeIncarnation(c.nodeId(), c.incarnation())));
		return nodes;
	}

	record NodeIncarnation(String nodeId, String incarnation) {
	}

	/** The earliest deadline among the rooms being left, or null. */
	Instant nextDeadline() {
		return leaving.stream().map(Leaving::deadline).min(Comparator.naturalOrder()).orElse(null);
	}

	/**
	 * Brings what is reported in line with the connections: online in every room a connection is
	 * subscribed to (cancelling a pending offline there, which is the grace period at work);
	 * leaving, for {@code grace}, every reported room no connection is subscribed to; offline in
	 * those whose grace period is over at {@code now}.
	 */
	Reconciliation reconcile(Instant now, Duration grace) {
		Set<String> subscribed = new LinkedHashSet<>();
		connections.forEach(c -> subscribed.addAll(c.rooms()));
		List<Online> nextOnline = new ArrayList<>();
		List<Leaving> nextLeaving = new ArrayList<>();
		List<RoomChange> changes = new ArrayList<>();
		for (Online room : online) {
			Leaving left = leaving(room.roomId());
			if (subscribed.contains(room.roomId())) {
				nextOnline.add(room);
			}
			else if (left == null && grace.isPositive()) {
				nextOnline.add(room);
				nextLeaving.add(new Leaving(room.roomId(), now, now.plus(grace)));
			}
			else if (left != null && left.deadline().isAfter(now)) {
				nextOnline.add(room);
				nextLeaving.add(left);
			}
			else {
				changes.add(new RoomChange.WentOffline(room.roomId(), left == null ? now : left.leftAt()));
			}
		}
		for (String roomId : subscribed) {
			if (nextOnline.stream().noneMatch(room -> room.roomId().equals(roomId))) {
				nextOnline.add(new Online(roomId, now));
				changes.add(new RoomChange.CameOnline(roomId, now));
			}
		}
		return new Reconciliation(
				new UserPresence(userId, username, connections, nextOnline, nextLeaving, ended, applied), changes);
	}

	/** Nothing to remember about this user but the last record applied. */
	boolean isIdle() {
		return connections.isEmpty() && online.isEmpty() && leaving.isEmpty();
	}

	private Leaving leaving(String roomId) {
		return leaving.stream().filter(l -> l.roomId().equals(roomId)).findFirst().orElse(null);
	}

	private Connection connection(String connectionId) {
		return connections.stream().filter(c -> c.connectionId().equals(connectionId)).findFirst().orElse(null);
	}

	private UserPresence withConnection(String connectionId, java.util.function.UnaryOperator<Connection> change) {
		List<Connection> next = connections.stream()
			.map(c -> c.connectionId().equals(connectionId) ? change.apply(c) : c)
			.toList();
		return new UserPresence(userId, username, next, online, leaving, ended, applied);
	}

	private UserPresence without(Predicate<Connection> gone) {
		return new UserPresence(userId, username, connections.stream().filter(gone.negate()).toList(), online,
				leaving, ended, applied);
	}

	private UserPresence named(String username) {
		return username == null || username.equals(this.username) ? this
				: new UserPresence(userId, username, connections, online, leaving, ended, applied);
	}

	private String nameOr(String username) {
		return username != null ? username : this.username;
	}

}
