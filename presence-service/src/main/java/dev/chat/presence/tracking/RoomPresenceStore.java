package dev.chat.presence.tracking;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Map;

import org.bson.Document;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.mongodb.core.ReactiveMongoOperations;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

import dev.chat.presence.partition.SignalPartitions;
import dev.chat.presence.store.DocumentLocks;

/**
 * Who is online in a room: one document per room and partition of {@code chat.presence.events}
 * (the users' partitions), {@code _id = "{roomId}:{partition}"} in {@code rooms}, with a field per
 * online user under {@code users}, written only by the partition's owner
 * ({@link dev.chat.presence.partition.PartitionOwnership}). {@code GET /api/rooms/{roomId}/presence}
 * reads a room's parts by id, all at once; they are kept in step with what is published on
 * {@code chat.presence}: a user is added when {@code online} is published and removed when
 * {@code offline} is.
 *
 * <p>
 * Users of one part are still handled on different threads of the owner (its listener, its drop
 * and grace threads), so each change is a {@code $set} or {@code $unset} of the user's own field,
 * never a rewrite of the part, and the changes of one part are made one at a time
 * ({@link DocumentLocks}): they cannot overwrite each other. User ids become field names, so the
 * characters with a meaning in field paths ({@code .} and {@code $}, and {@code %} for the escape
 * itself) are percent-escaped.
 */
@Component
public class RoomPresenceStore {

	static final String COLLECTION = "rooms";

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final ReactiveMongoOperations mongo;

	private final DocumentLocks locks;

	private final SignalPartitions partitions;

	RoomPresenceStore(ReactiveMongoOperations mongo, DocumentLocks locks, SignalPartitions partitions) {
		this.mongo = mongo;
		this.locks = locks;
		this.partitions = partitions;
	}

	/** A user online in a room. */
	public record OnlineUser(String userId, String username, Instant since) {
	}

	/** Who is online in the room, longest online first. */
	public Mono<List<OnlineUser>> online(String roomId) {
		return partitions.count()
			.flatMapMany(count -> Flux.range(0, count))
			.flatMap(partition -> mongo.findById(id(roomId, partition), Document.class, COLLECTION))
			.flatMapIterable(part -> {
				Document users = part.get("users", Document.class);
				return users == null ? List.<Object>of() : users.values();
			})
			.map(Document.class::cast)
			.map(user -> new OnlineUser(user.getString("userId"), user.getString("username"),
					user.getDate("since").toInstant()))
			.sort(Comparator.comparing(OnlineUser::since).thenComparing(OnlineUser::userId))
			.collectList();
	}

	/**
	 * Applies a batch of changes of one room's part in one update: each user either online (a
	 * value) or offline (null).
	 */
	void apply(String roomId, int partition, Map<String, OnlineUser> changes) {
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
		String id = id(roomId, partition);
		Query room = byId(id);
		locks.update(COLLECTION, id,
				anyOnline ? () -> mongo.upsert(room, update, COLLECTION).block(TIMEOUT)
						: () -> mongo.updateFirst(room, update, COLLECTION).block(TIMEOUT));
	}

	static String field(String userId) {
		return userId.replace("%", "%25").replace(".", "%2E").replace("$", "%24");
	}

	static String id(String roomId, int partition) {
		return roomId + ":" + partition;
	}

	private static Query byId(String id) {
		return Query.query(Criteria.where("_id").is(id));
	}

}
