package dev.chat.presence.node;

import java.time.Duration;
import java.util.List;

import org.bson.Document;

import org.springframework.data.mongodb.core.ReactiveMongoOperations;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

import dev.chat.presence.store.DocumentLocks;

/**
 * One document per incarnation of a gateway node, {@code _id = "{nodeId}:{incarnation}"} in
 * {@code nodes}, listing the users with at least one connection on it: what a drop of that
 * incarnation reads, by id, to find whom to drop. Updated with {@code $addToSet} and
 * {@code $pull}, one at a time per document ({@link DocumentLocks}), so users of one node handled
 * on different threads never overwrite each other.
 *
 * <p>
 * A user is added before their connection is stored and removed after it is gone, so after a
 * crash the list may name a user too many (dropping them changes nothing), never one too few.
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

	public static String id(String nodeId, String incarnation) {
		return nodeId + ":" + incarnation;
	}

	public void addUser(String nodeId, String incarnation, String userId) {
		locks.update(COLLECTION, id(nodeId, incarnation), () -> mongo.upsert(byId(nodeId, incarnation),
				new Update().addToSet("users", userId).set("nodeId", nodeId).set("incarnation", incarnation),
				COLLECTION)
			.block(TIMEOUT));
	}

	public void removeUser(String nodeId, String incarnation, String userId) {
		locks.update(COLLECTION, id(nodeId, incarnation),
				() -> mongo.updateFirst(byId(nodeId, incarnation), new Update().pull("users", userId), COLLECTION)
					.block(TIMEOUT));
	}

	public List<String> users(String nodeId, String incarnation) {
		Document node = mongo.findById(id(nodeId, incarnation), Document.class, COLLECTION).block(TIMEOUT);
		return node == null ? List.of() : node.getList("users", String.class, List.of());
	}

	public void delete(String nodeId, String incarnation) {
		locks.update(COLLECTION, id(nodeId, incarnation),
				() -> mongo.remove(byId(nodeId, incarnation), COLLECTION).block(TIMEOUT));
	}

	private static Query byId(String nodeId, String incarnation) {
		return Query.query(Criteria.where("_id").is(id(nodeId, incarnation)));
	}

}
