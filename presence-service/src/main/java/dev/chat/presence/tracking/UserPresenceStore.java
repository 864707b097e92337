package dev.chat.presence.tracking;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import org.bson.Document;
import reactor.core.publisher.Mono;

import org.springframework.data.mongodb.core.ReactiveMongoOperations;
import org.springframework.stereotype.Component;

import dev.chat.common.mongo.BulkWrites;

/**
 * {@link UserPresence} documents, {@code _id = userId} in {@code users}, read by id and replaced
 * whole, a batch of users in one bulk write (in commands FerretDB can finish: {@link BulkWrites}).
 * Only threads holding the users' locks read and write them (see {@link UserLocks}).
 *
 * <p>
 * What was last stored for each active user is also kept in memory, so a signal needs no read:
 * the owner of the user's partition is the only writer
 * ({@link dev.chat.presence.partition.PartitionOwnership}), and a partition revoked takes its
 * users out of the cache. A user with nothing left to track leaves the cache, which so holds only active users.
 * After a failed write the users concerned are read from the store again, whatever it holds.
 */
@Component
class UserPresenceStore {

	static final String COLLECTION = "users";

	private static final Duration TIMEOUT = Duration.ofSeconds(15);

	private final Map<String, UserPresence> cache = new ConcurrentHashMap<>();

	private final ReactiveMongoOperations mongo;

	UserPresenceStore(ReactiveMongoOperations mongo) {
		this.mongo = mongo;
	}

	UserPresence find(String userId) {
		UserPresence cached = cache.get(userId);
		if (cached != null) {
			return cached;
		}
		Document stored = mongo.findById(userId, Document.class, COLLECTION).block(TIMEOUT);
		return stored == null ? UserPresence.empty(userId) : decode(stored);
	}

	void saveAll(Collection<UserPresence> users) {
		if (users.isEmpty()) {
			return;
		}
		List<ReplaceOneModel<Document>> writes = users.stream()
			.map(user -> new ReplaceOneModel<>(Filters.eq("_id", user.userId()), encode(user),
					new ReplaceOptions().upsert(true)))
			.toList();
		try {
			mongo.getCollection(COLLECTION)
				.flatMap(collection -> BulkWrites.write(collection, writes, false))
				.block(TIMEOUT);
		}
		catch (RuntimeException ex) {
			forget(users.stream().map(UserPresence::userId).toList());
			throw ex;
		}
		for (UserPresence user : users) {
			if (user.isIdle()) {
				cache.remove(user.userId());
			}
			else {
				cache.put(user.userId(), user);
			}
		}
	}

	/** Forgets the cached users of the partitions (another instance writes for them now). */
	void forgetPartitions(Collection<Integer> partitions) {
		cache.values().removeIf(user -> partitions.contains(user.partition()));
	}

	/** Forgets what is cached for the users: their next read goes to the store. */
	void forget(Collection<String> userIds) {
		userIds.forEach(cache::remove);
	}

	static Document encode(UserPresence user) {
		List<Document> connections = user.connections()
			.stream()
			.map(c -> new Document("connectionId", c.connectionId()).append("nodeId", c.nodeId())
				.append("incarnation", c.incarnation())
				.append("connectedAt", date(c.connectedAt()))
				.append("rooms", c.rooms()))
			.toList();
		List<Document> online = user.online()
			.stream()
			.map(o -> new Document("roomId", o.roomId()).append("since", date(o.since())))
			.toList();
		List<Document> leaving = user.leaving()
			.stream()
			.map(l -> new Document("roomId", l.roomId()).append("leftAt", date(l.leftAt()))
				.append("deadline", date(l.deadline())))
			.toList();
		Document applied = user.applied() == null ? null
				: new Document("partition", user.applied().partition()).append("offset", user.applied().offset());
		return new Document("_id", user.userId()).append("username", user.username())
			.append("connections", connections)
			.append("online", online)
			.append("leaving", leaving)
			.append("ended", user.ended())
			.append("applied", applied);
	}

	static UserPresence decode(Document stored) {
		List<UserPresence.Connection> connections = stored.getList("connections", Document.class, List.of())
			.stream()
			.map(c -> new UserPresence.Connection(c.getString("connectionId"), c.getString("nodeId"),
					c.getString("incarnation"), instant(c.getDate("connectedAt")),
					c.getList("rooms", String.class, List.of())))
			.toList();
		List<UserPresence.Online> online = stored.getList("online", Document.class, List.of())
			.stream()
			.map(o -> new UserPresence.Online(o.getString("roomId"), instant(o.getDate("since"))))
			.toList();
		List<UserPresence.Leaving> leaving = stored.getList("leaving", Document.class, List.of())
			.stream()
			.map(l -> new UserPresence.Leaving(l.getString("roomId"), instant(l.getDate("leftAt")),
					instant(l.getDate("deadline"))))
			.toList();
		Document applied = stored.get("applied", Document.class);
		return new UserPresence(stored.getString("_id"), stored.getString("username"), connections, online, leaving,
				stored.getList("ended", String.class, List.of()),
				applied == null ? null
						: new UserPresence.Applied(((Number) applied.get("partition")).intValue(),
								((Number) applied.get("offset")).longValue()));
	}

	private static Date date(Instant instant) {
		return instant == null ? null : Date.from(instant);
	}

	private static Instant instant(Date date) {
		return date == null ? null : date.toInstant();
	}

}
