package dev.chat.presence.tracking;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import org.bson.Document;

import org.springframework.data.mongodb.core.ReactiveMongoOperations;
import org.springframework.stereotype.Component;

/**
 * {@link UserPresence} documents, {@code _id = userId} in {@code users}, read and replaced whole
 * by id. Only the thread holding the user's lock writes them (see {@link UserLocks}).
 */
@Component
class UserPresenceStore {

	static final String COLLECTION = "users";

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final ReactiveMongoOperations mongo;

	UserPresenceStore(ReactiveMongoOperations mongo) {
		this.mongo = mongo;
	}

	UserPresence find(String userId) {
		Document stored = mongo.findById(userId, Document.class, COLLECTION).block(TIMEOUT);
		return stored == null ? UserPresence.empty(userId) : decode(stored);
	}

	void save(UserPresence user) {
		mongo.save(encode(user), COLLECTION).block(TIMEOUT);
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
