package dev.chat.presence.tracking;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Map;

import org.bson.Document;
import reactor.core.publisher.Mono;

import org.springframework.data.mongodb.core.ReactiveMongoOperations;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

import dev.chat.presence.store.DocumentLocks;

/**
 * Who is online in a room: one document per room, {@code _id = roomId} in {@code rooms}, with a
 * field per online user under {@code users}. It is what {@code GET /api/rooms/{roomId}/presence}
 * reads (one read by id), kept in step with what is published on {@code chat.presence}: a user is
 * added when {@code online} is published and removed when {@code offline} is.
 *
 * <p>
 * Users of one room are handled on different threads, so each change is a {@code $set} or
 * {@code $unset} of the user's own field, never a rewrite of the room, and the changes of one
 * room are made one at a time ({@link DocumentLocks}): they cannot overwrite each other. User ids become field names, so the characters with a meaning in field paths
 * ({@code .} and {@code $}, and {@code %} for the escape itself) are percent-escaped.
 */
@Component
public class RoomPresenceStore {

	static final String COLLECTION = "rooms";

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final ReactiveMongoOperations mongo;

	private final DocumentLocks locks;

	RoomPresenceStore(ReactiveMongoOperations mongo, DocumentLocks locks) {
		this.mongo = mongo;
		this.locks = locks;
	}

	/** A user online in a room. */
	public record OnlineUser(String userId, String username, Instant since) {
	}

	/** Who is online in the room, longest online first. */
	public Mono<List<OnlineUser>> online(String roomId) {
		return mongo.findById(roomId, Document.class, COLLECTION).map(room -> {
			Document users = room.get("users", Document.class);
			if (users == null) {
				return List.<OnlineUser>of();
			}
			return users.values()
				.stream()
				.map(Document.class::cast)
				.map(user -> new OnlineUser(user.getString("userId"), user.getString("username"),
						user.getDate("since").toInstant()))
				.sorted(Comparator.comparing(OnlineUser::since).thenComparing(OnlineUser::userId))
				.toList();
		}).defaultIfEmpty(List.of());
	}

	/**
	 * Applies a batch of changes of one room in one update: each user either online (a value) or
	 * offline (null).
	 */
	void apply(String roomId, Map<String, OnlineUser> changes) {
		Update update = new Update();
		boolean anyOnline = false;
		for (Map.Entry<String, OnlineUser> change : changes.entrySet()) {
			OnlineUser user = change.getValue();
			if (user == null) {
				update.unset("users." + field(change.getKey()));
			}
			else {
				anyOnline = true;
				update.set("users." + field(change.getKey()), new Document("userId", user.userId())
					.append("username", user.username())
					.append("since", Date.from(user.since())));
			}
		}
		Query room = byId(roomId);
		locks.update(COLLECTION, roomId,
				anyOnline ? () -> mongo.upsert(room, update, COLLECTION).block(TIMEOUT)
						: () -> mongo.updateFirst(room, update, COLLECTION).block(TIMEOUT));
	}

	static String field(String userId) {
		return userId.replace("%", "%25").replace(".", "%2E").replace("$", "%24");
	}

	private static Query byId(String roomId) {
		return Query.query(Criteria.where("_id").is(roomId));
	}

}
