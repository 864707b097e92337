package dev.chat.presence.membership;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import org.bson.Document;
import reactor.core.publisher.Mono;

import org.springframework.data.mongodb.core.ReactiveMongoOperations;
import org.springframework.stereotype.Component;

/**
 * presence-service's projection of room memberships from {@code chat.rooms}: one document per
 * room and user, {@code _id = "{roomId}:{userId}"} in {@code memberships}, read by id. Room ids
 * never contain {@code :}, so ids cannot collide. A user who left keeps a document with
 * {@code member: false} and the time of the event, so that an older event read again (after a
 * crash, before its offset was committed) cannot make them a member again.
 */
@Component
public class MembershipStore {

	static final String COLLECTION = "memberships";

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final ReactiveMongoOperations mongo;

	MembershipStore(ReactiveMongoOperations mongo) {
		this.mongo = mongo;
	}

	static String id(String roomId, String userId) {
		return roomId + ":" + userId;
	}

	public Mono<Boolean> isMember(String roomId, String userId) {
		return mongo.findById(id(roomId, userId), Document.class, COLLECTION)
			.map(membership -> membership.getBoolean("member", false))
			.defaultIfEmpty(false);
	}

	/** Records the membership as of {@code at}, unless a later event already decided it. */
	void record(String roomId, String userId, boolean member, Instant at) {
		Document stored = mongo.findById(id(roomId, userId), Document.class, COLLECTION).block(TIMEOUT);
		if (stored != null && stored.getDate("at") != null && stored.getDate("at").toInstant().isAfter(at)) {
			return;
		}
		mongo.save(new Document("_id", id(roomId, userId)).append("roomId", roomId)
			.append("userId", userId)
			.append("member", member)
			.append("at", Date.from(at)), COLLECTION).block(TIMEOUT);
	}

}
