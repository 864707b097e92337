package dev.chat.presence.node;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

import org.bson.Document;

import org.springframework.data.mongodb.core.ReactiveMongoOperations;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

import dev.chat.presence.store.DocumentLocks;

/**
 * Which users have connections on each incarnation of a gateway node: what a drop of that
 * incarnation reads to find whom to drop. One document per incarnation and partition of
 * {@code chat.presence.events} (the users' partitions), {@code _id = "{nodeId}:{incarnation}:{partition}"}
 * in {@code nodes}: each is written only by the partition's owner
 * ({@link dev.chat.presence.partition.PartitionOwnership}), a drop reads those of the partitions
 * it owns by id, and no document grows with all of a big node's users (FerretDB rewrites a whole
 * document on every update). Updated with {@code $addToSet} and {@code $pullAll}, one at a time
 * per document within the instance ({@link DocumentLocks}).
 *
 * <p>
 * A user is added before their connection is stored and removed after it is gone, so after a
 * crash a document may name a user too many (dropping them changes nothing), never one too few.
 */
@Component
public class NodeStore {

	static final String COLLECTION = "nodes";

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final ReactiveMongoOperations mongo;

	private final DocumentLocks locks;

	NodeStore(ReactiveMongoOperations mongo, DocumentLocks locks) {
		this.mongo = mongo;
		this.locks = locks;
	}

	static String id(String nodeId, String incarnation, int partition) {
		return nodeId + ":" + incarnation + ":" + partition;
	}

	public void add(String nodeId, String incarnation, int partition, Collection<String> userIds) {
		String id = id(nodeId, incarnation, partition);
		locks.update(COLLECTION, id, () -> mongo
			.upsert(byId(id), new Update().addToSet("users").each(userIds.toArray()), COLLECTION)
			.block(TIMEOUT));
	}

	public void remove(String nodeId, String incarnation, int partition, Collection<String> userIds) {
		String id = id(nodeId, incarnation, partition);
		locks.update(COLLECTION, id, () -> mongo
			.updateFirst(byId(id), new Update().pullAll("users", userIds.toArray()), COLLECTION)
			.block(TIMEOUT));
	}

	/** Every user of the partition listed for the incarnation: one read by id. */
	public List<String> users(String nodeId, String incarnation, int partition) {
		Document stored = mongo.findById(id(nodeId, incarnation, partition), Document.class, COLLECTION)
			.block(TIMEOUT);
		return stored == null ? List.of() : stored.getList("users", String.class, List.of());
	}

	public void delete(String nodeId, String incarnation, int partition) {
		String id = id(nodeId, incarnation, partition);
		locks.update(COLLECTION, id, () -> mongo.remove(byId(id), COLLECTION).block(TIMEOUT));
	}

	private static Query byId(String id) {
		return Query.query(Criteria.where("_id").is(id));
	}

}
