package dev.chat.presence.node;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.data.mongodb.core.ReactiveMongoOperations;
import org.springframework.stereotype.Component;

import dev.chat.common.kafka.Topics;
import dev.chat.presence.partition.PartitionOwnership;

/**
 * The gateway nodes this service knows: each node's current incarnation and the incarnations it
 * retired. Held in memory and written through to one small document per partition of
 * {@code chat.presence.events} this instance owns, {@code _id = "nodes:{partition}"} in
 * {@code registry} (each written by its partition's owner only): an instance assigned a partition
 * reads that partition's document by id and {@linkplain #adopt adopts} what it says, so it knows
 * the incarnations retired before it took over, and no query ever scans for nodes.
 *
 * <p>
 * Retiring an incarnation (a newer one appeared, or it went silent) takes the write lock, which
 * waits for every batch of signals being applied under {@link #whileUnchanged}: once
 * retired, no signal of the old incarnation can still add a user to its node document, so the
 * drop that follows sees every user it has to drop. Signals of a retired incarnation read from
 * {@link Topics#PRESENCE_EVENTS} later (they were queued behind others) are ignored.
 *
 * <p>
 * A dead incarnation comes back only through a heartbeat sent after the last one seen before it
 * was declared dead (the node was cut off from Kafka, not gone); the connections dropped
 * meanwhile come back when their clients subscribe again.
 */
@Component
public class NodeRegistry {

	static final String COLLECTION = "registry";

	static final String ID_PREFIX = "nodes:";

	/** Enough to recognise late signals of recent incarnations; older ones are forgotten. */
	private static final int RETIRED_KEPT = 16;

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final Logger log = LoggerFactory.getLogger(NodeRegistry.class);

	private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock(true);

	/** Guarded by {@link #lock}. */
	private final Map<String, Node> nodes = new LinkedHashMap<>();

	private final ReactiveMongoOperations mongo;

	private final PartitionOwnership ownership;

	private final Clock clock;

	NodeRegistry(ReactiveMongoOperations mongo, PartitionOwnership ownership, Clock clock) {
		this.mongo = mongo;
		this.ownership = ownership;
		this.clock = clock;
	}

	/** A node known alive, for the failure check: counted as seen no earlier than {@code since}. */
	public record Live(String nodeId, String incarnation, Instant since) {
	}

	/** A retired incarnation: its connections are dropped, or still to be dropped. */
	public record RetiredIncarnation(String nodeId, String incarnation) {
	}

	/**
	 * Decides about a signal of {@code incarnation} of {@code nodeId}: registers a node or an
	 * incarnation seen for the first time, retiring the one it replaces. Call it outside
	 * {@link #whileUnchanged} (the write lock cannot be taken from within the read lock).
	 */
	public Admission admit(String nodeId, String incarnation, Instant occurredAt, boolean heartbeat) {
		lock.readLock().lock();
		try {
			Node node = nodes.get(nodeId);
			if (node != null && incarnation.equals(node.current)) {
				return new Admission.Accepted();
			}
			Retired retired = node == null ? null : node.retired(incarnation);
			if (retired != null && !revives(node, retired, occurredAt, heartbeat)) {
				return new Admission.Ignored();
			}
		}
		finally {
			lock.readLock().unlock();
		}
		return write(() -> admitSlowly(nodeId, incarnation, occurredAt, heartbeat));
	}

	private Admission admitSlowly(String nodeId, String incarnation, Instant occurredAt, boolean heartbeat) {
		Node node = nodes.get(nodeId);
		if (node == null) {
			nodes.put(nodeId, new Node(nodeId, incarnation, now(), new ArrayList<>()));
			save();
			log.atInfo().addKeyValue("nodeId", nodeId).addKeyValue("incarnation", incarnation).log("node registered");
			return new Admission.Accepted();
		}
		if (incarnation.equals(node.current)) {
			return new Admission.Accepted();
		}
		Retired retired = node.retired(incarnation);
		if (retired != null) {
			if (!revives(node, retired, occurredAt, heartbeat)) {
				return new Admission.Ignored();
			}
			node.retired.remove(retired);
			node.current = incarnation;
			node.since = now();
			save();
			log.atWarn()
				.addKeyValue("nodeId", nodeId)
				.addKeyValue("incarnation", incarnation)
				.log("node declared dead is alive again; its dropped connections return when their clients subscribe again");
			return new Admission.Accepted();
		}
		String previous = node.current;
		if (previous != null) {
			node.retire(new Retired(previous, false, null));
		}
		node.current = incarnation;
		node.since = now();
		save();
		log.atInfo()
			.addKeyValue("nodeId", nodeId)
			.addKeyValue("incarnation", incarnation)
			.addKeyValue("previousIncarnation", previous)
			.log(previous == null ? "node registered" : "node restarted: new incarnation replaces the previous one");
		return previous == null ? new Admission.Accepted() : new Admission.Replaced(nodeId, previous);
	}

	/**
	 * Whether a signal of a retired incarnation brings it back: only a heartbeat sent after the
	 * last one seen before the incarnation went silent, and only while no newer incarnation runs.
	 * A replaced incarnation never comes back.
	 */
	private static boolean revives(Node node, Retired retired, Instant occurredAt, boolean heartbeat) {
		return heartbeat && retired.silent && node.current == null
				&& (retired.lastHeartbeat == null || occurredAt.isAfter(retired.lastHeartbeat));
	}

	/**
	 * Runs {@code work} (the application of signals) holding off every retirement until it is
	 * done; within it, {@link #isCurrent} says which signals may still be applied.
	 */
	public void whileUnchanged(Runnable work) {
		lock.readLock().lock();
		try {
			work.run();
		}
		finally {
			lock.readLock().unlock();
		}
	}

	/** Whether {@code incarnation} is the node's current one. */
	public boolean isCurrent(String nodeId, String incarnation) {
		lock.readLock().lock();
		try {
			Node node = nodes.get(nodeId);
			return node != null && incarnation.equals(node.current);
		}
		finally {
			lock.readLock().unlock();
		}
	}

	/**
	 * Retires {@code incarnation} of a node that went silent, if it is still the current one.
	 *
	 * @param lastHeartbeat when the node sent the last heartbeat seen (its clock), or null: only
	 * a later heartbeat brings this incarnation back
	 * @return whether it was retired (and its connections must now be dropped)
	 */
	public boolean retireSilent(String nodeId, String incarnation, Instant lastHeartbeat) {
		return write(() -> {
			Node node = nodes.get(nodeId);
			if (node == null || !incarnation.equals(node.current)) {
				return false;
			}
			node.retire(new Retired(incarnation, true, lastHeartbeat));
			node.current = null;
			save();
			return true;
		});
	}

	/** The nodes with a current incarnation. */
	public List<Live> live() {
		lock.readLock().lock();
		try {
			return nodes.values()
				.stream()
				.filter(node -> node.current != null)
				.map(node -> new Live(node.nodeId, node.current, node.since))
				.toList();
		}
		finally {
			lock.readLock().unlock();
		}
	}

	/**
	 * The retired incarnations remembered: an instance assigned a partition drops their
	 * connections in it, whatever the previous owner finished (a finished drop left no list to
	 * read).
	 */
	public List<RetiredIncarnation> retired() {
		lock.readLock().lock();
		try {
			return nodes.values()
				.stream()
				.flatMap(node -> node.retired.stream().map(retired -> new RetiredIncarnation(node.nodeId, retired.incarnation)))
				.toList();
		}
		finally {
			lock.readLock().unlock();
		}
	}

	private <T> T write(Supplier<T> change) {
		lock.writeLock().lock();
		try {
			return change.get();
		}
		finally {
			lock.writeLock().unlock();
		}
	}

	private Instant now() {
		return clock.instant().truncatedTo(ChronoUnit.MILLIS);
	}

	/**
	 * Adopts what the partition's previous owner knew (its document, read by id), called as this
	 * instance is assigned the partition: nodes it did not know (each gets a full timeout from
	 * now: their heartbeats before say nothing about now) and incarnations it retired. What this
	 * instance knows itself wins: a node's current incarnation here stays current.
	 */
	public void adopt(int partition) {
		Document stored = mongo.findById(ID_PREFIX + partition, Document.class, COLLECTION).block(TIMEOUT);
		write(() -> {
			Instant adopted = now();
			if (stored != null) {
				for (Document entry : stored.getList("nodes", Document.class, List.of())) {
					String nodeId = entry.getString("nodeId");
					Node node = nodes.computeIfAbsent(nodeId,
							id -> new Node(id, entry.getString("incarnation"), adopted, new ArrayList<>()));
					for (Document r : entry.getList("retired", Document.class, List.of())) {
						String incarnation = r.getString("incarnation");
						if (!incarnation.equals(node.current) && node.retired(incarnation) == null) {
							node.retire(new Retired(incarnation, r.getBoolean("silent", false),
									instant(r.getDate("lastHeartbeat"))));
						}
					}
				}
			}
			saveTo(partition);
			log.atInfo().addKeyValue("partition", partition).addKeyValue("nodes", nodes.keySet())
				.log("node registry adopted");
			return null;
		});
	}

	/** Called with the write lock held: writes the registry to each partition owned. */
	private void save() {
		ownership.owned().forEach(this::saveTo);
	}

	private void saveTo(int partition) {
		List<Document> entries = new ArrayList<>();
		for (Node node : nodes.values()) {
			List<Document> retired = node.retired.stream()
				.map(r -> new Document("incarnation", r.incarnation).append("silent", r.silent)
					.append("lastHeartbeat", r.lastHeartbeat == null ? null : Date.from(r.lastHeartbeat)))
				.toList();
			entries.add(new Document("nodeId", node.nodeId).append("incarnation", node.current)
				.append("retired", retired));
		}
		mongo.save(new Document("_id", ID_PREFIX + partition).append("nodes", entries), COLLECTION).block(TIMEOUT);
	}

	private static Instant instant(Date date) {
		return date == null ? null : date.toInstant();
	}

	/**
	 * @param silent retired for silence (it may come back), not replaced by a newer incarnation
	 * @param lastHeartbeat the node's time of its last heartbeat seen before it went silent
	 */
	private record Retired(String incarnation, boolean silent, Instant lastHeartbeat) {
	}

	/** Mutable, guarded by the registry's lock. */
	private static final class Node {

		private final String nodeId;

		private String current;

		private Instant since;

		private final List<Retired> retired;

		Node(String nodeId, String current, Instant since, List<Retired> retired) {
			this.nodeId = nodeId;
			this.current = current;
			this.since = since;
			this.retired = retired;
		}

		Retired retired(String incarnation) {
			return retired.stream().filter(r -> r.incarnation.equals(incarnation)).findFirst().orElse(null);
		}

		void retire(Retired incarnation) {
			retired.removeIf(r -> r.incarnation.equals(incarnation.incarnation));
			retired.add(incarnation);
			// Forget the oldest: an instance assigned a partition later drops only what it knows.
			while (retired.size() > RETIRED_KEPT) {
				retired.removeFirst();
			}
		}

	}

}
