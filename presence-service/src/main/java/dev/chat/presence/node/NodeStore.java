package dev.chat.presence.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.bson.Document;

import org.springframework.data.mongodb.core.ReactiveMongoOperations;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

import dev.chat.presence.store.DocumentLocks;

/**
 * Which users have connections on each incarnation of a gateway node: what a drop of that
 * incarnation reads to find whom to drop. The users are spread over {@value #BUCKETS} documents
 * per incarnation by a hash of the user id, {@code _id = "{nodeId}:{incarnation}:{bucket}"} in
 * {@code nodes}: a drop reads them all by id, and no document grows with all of a big node's
 * users (FerretDB rewrites a whole document on every update). Updated with {@code $addToSet} and
 * {@code $pullAll}, one at a time per document ({@link DocumentLocks}).
 *
 * <p>
 * A user is added before their connection is stored and removed after it is gone, so after a
 * crash a document may name a user too many (dropping them changes nothing), never one too few.
 */
@Component
public class NodeStore {

	static final String COLLECTION = "nodes";

	static final int BUCKETS = 32;

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final ReactiveMongoOperations mongo;

	private final DocumentLocks locks;

	NodeStore(ReactiveMongoOperations mongo, DocumentLocks locks) {
		this.mongo = mongo;
		this.locks = locks;
	}

	static String id(String nodeId, String incarnation, int bucket) {
		return nodeId + ":" + incarnation + ":" + bucket;
	}

	public void add(String nodeId, String incarnation, Collection<String> userIds) {
		byBucket(userIds).forEach((bucket, users) -> {
			String id = id(nodeId, incarnation, bucket);
			locks.update(COLLECTION, id, () -> mongo
				.upsert(byId(id), new Update().addToSet("users").each(users.toArray()), COLLECTION)
				.block(TIMEOUT));
		});
	}

	public void remove(String nodeId, String incarnation, Collection<String> userIds) {
		byBucket(userIds).forEach((bucket, users) -> {
			String id = id(nodeId, incarnation, bucket);
			locks.update(COLLECTION, id, () -> mongo
				.updateFirst(byId(id), new Update().pullAll("users", users.toArray()), COLLECTION)
				.block(TIMEOUT));
		});
	}

	/** Every user listed for the incarnation: {@value #BUCKETS} reads by id. */
	public List<String> users(String nodeId, String incarnation) {
		List<String> users = new ArrayList<>();
		for (int bucket = 0; bucket < BUCKETS; bucket++) {
			Document stored = mongo.findById(id(nodeId, incarnation, bucket), Document.class, COLLECTION)
				.block(TIMEOUT);
			if (stored != null) {
				users.addAll(stored.getList("users", String.class, List.of()));
			}
		}
		return users;
	}

	public void delete(String nodeId, String incarnation) {
		for (int bucket = 0; bucket < BUCKETS; bucket++) {
			String id = id(nodeId, incarnation, bucket);
			locks.update(COLLECTION, id, () -> mongo.remove(byId(id), COLLECTION).block(TIMEOUT));
		}
	}

	private static Map<Integer, List<String>> byBucket(Collection<String> userIds) {
		Map<Integer, List<String>> buckets = new TreeMap<>();
		for (String userId : userIds) {
			buckets.computeIfAbsent(Math.floorMod(userId.hashCode(), BUCKETS), b -> new ArrayList<>()).add(userId);
		}
		return buckets;
	}

	private static Query byId(String id) {
		return Query.query(Criteria.where("_id").is(id));
	}

}
