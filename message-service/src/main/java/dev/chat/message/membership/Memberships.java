package dev.chat.message.membership;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import org.bson.Document;
import org.bson.conversions.Bson;
import reactor.core.publisher.Mono;

import org.springframework.data.mongodb.ReactiveMongoDatabaseFactory;
import org.springframework.stereotype.Component;

import dev.chat.common.error.ChatProblems;
import dev.chat.common.events.RoomEvent;
import dev.chat.message.MessageProperties;
import dev.chat.message.MessageRules;

/**
 * The projection of {@code chat.rooms} this service authorizes with, so that no send waits on
 * room-service: {@code rooms} ({@code _id = roomId}, {@code ownerId}) and {@code memberships}
 * ({@code _id = "{roomId}:{userId}"}, {@code member}, {@code role}). Both are read and written
 * by {@code _id} only.
 *
 * <p>
 * Each document lists the ids of the events applied to it, and an event already listed is
 * skipped: a re-delivered or re-published {@code MemberJoined} can then not undo a later
 * {@code MemberLeft}. Leaving keeps the document (with {@code member: false}) for that reason.
 * Each event changes its document in one write, which records its id in the same write.
 */
@Component
public class Memberships {

	private static final String ID = "_id";

	private static final String EVENT_IDS = "eventIds";

	private static final String OWNER = "owner";

	/** Beyond this many cached members the cache starts over; a miss costs one read by _id. */
	private static final int MAX_CACHED = 100_000;

	private record Cached(RoomAccess.Member member, long until) {
	}

	private final MongoCollection<Document> rooms;

	private final MongoCollection<Document> memberships;

	private final Map<String, Cached> members = new ConcurrentHashMap<>();

	private final long cacheNanos;

	public Memberships(ReactiveMongoDatabaseFactory factory, MessageProperties properties) {
		// No I/O: the factory hands out the database object of its connection string.
		MongoDatabase database = factory.getMongoDatabase().block();
		this.rooms = database.getCollection("rooms");
		this.memberships = database.getCollection("memberships");
		this.cacheNanos = properties.pipeline().memberCache().toNanos();
	}

	/**
	 * The user's access to the room, for the pipeline: a member is remembered for a short while
	 * (see {@code chat.messages.pipeline.member-cache}), anything else is read every time.
	 */
	public Mono<RoomAccess> access(String roomId, String userId) {
		String id = membershipId(roomId, userId);
		Cached cached = members.get(id);
		if (cached != null && cached.until() - System.nanoTime() > 0) {
			return Mono.just(cached.member());
		}
		return read(roomId, userId).doOnNext(access -> {
			if (access instanceof RoomAccess.Member member && cacheNanos > 0) {
				if (members.size() >= MAX_CACHED) {
					members.clear();
				}
				members.put(id, new Cached(member, System.nanoTime() + cacheNanos));
			}
		});
	}

	/** The user's access to the room as stored now: one read for a member, two otherwise. */
	private Mono<RoomAccess> read(String roomId, String userId) {
		return Mono.from(memberships.find(byId(membershipId(roomId, userId))).first())
			.filter(doc -> Boolean.TRUE.equals(doc.getBoolean("member")))
			.<RoomAccess>map(doc -> new RoomAccess.Member(OWNER.equals(doc.getString("role"))))
			.switchIfEmpty(Mono.defer(() -> Mono.from(rooms.find(byId(roomId)).first())
				.<RoomAccess>map(room -> new RoomAccess.NotMember())
				.defaultIfEmpty(new RoomAccess.NoSuchRoom())));
	}

	/**
	 * The user's membership, for a REST request: 404 for an unknown room, 403 for a non-member.
	 */
	public Mono<RoomAccess.Member> requireMember(String roomId, String userId) {
		if (!MessageRules.isRoomId(roomId)) {
			return Mono.error(ChatProblems.notFound("No such room."));
		}
		return read(roomId, userId).flatMap(access -> switch (access) {
			case RoomAccess.Member member -> Mono.just(member);
			case RoomAccess.NotMember notMember ->
				Mono.error(ChatProblems.forbidden("Only members of the room may do this."));
			case RoomAccess.NoSuchRoom none -> Mono.error(ChatProblems.notFound("No such room."));
		});
	}

	/** Applies one event of {@code chat.rooms}; an event applied before changes nothing. */
	public Mono<Void> apply(RoomEvent event) {
		return switch (event) {
			case RoomEvent.RoomCreated created -> unlessApplied(rooms, created.roomId(), created.eventId(),
					Updates.combine(Updates.set("ownerId", created.ownerId()), Updates.set("name", created.name()),
							Updates.set("createdAt", date(created.occurredAt()))))
				// The creator is the owner and first member; no MemberJoined is published for them.
				.then(member(created.roomId(), created.ownerId(), OWNER, true, created.eventId(),
						created.occurredAt()));
			case RoomEvent.MemberJoined joined -> member(joined.roomId(), joined.userId(),
					joined.role() == null ? "member" : joined.role(), true, joined.eventId(), joined.occurredAt());
			case RoomEvent.MemberLeft left -> member(left.roomId(), left.userId(), null, false, left.eventId(),
					left.occurredAt());
			// An invitation does not make a member; the join that follows does.
			case RoomEvent.MemberInvited invited -> Mono.empty();
		};
	}

	private Mono<Void> member(String roomId, String userId, String role, boolean member, UUID eventId,
			Instant occurredAt) {
		List<Bson> changes = new ArrayList<>(List.of(Updates.set("roomId", roomId),
				Updates.set("userId", userId), Updates.set("member", member), Updates.set("since", date(occurredAt))));
		if (role != null) {
			changes.add(Updates.set("role", role));
		}
		return unlessApplied(memberships, membershipId(roomId, userId), eventId, Updates.combine(changes));
	}

	private Mono<Void> unlessApplied(MongoCollection<Document> collection, String id, UUID eventId, Bson change) {
		String event = eventId.toString();
		return Mono.from(collection.find(byId(id)).first())
			.map(doc -> doc.getList(EVENT_IDS, String.class, List.of()).contains(event))
			.defaultIfEmpty(false)
			.flatMap(applied -> applied ? Mono.empty()
					: Mono.from(collection.updateOne(byId(id), Updates.combine(change, Updates.addToSet(EVENT_IDS, event)),
							new UpdateOptions().upsert(true))))
			// Once changed, this instance stops trusting what it remembered of that member (even a
			// read that raced with the write).
			.then(Mono.fromRunnable(() -> members.remove(id)));
	}

	static String membershipId(String roomId, String userId) {
		return roomId + ":" + userId;
	}

	private static Date date(Instant instant) {
		return instant == null ? null : Date.from(instant);
	}

	private static Bson byId(String id) {
		return Filters.eq(ID, id);
	}

}
