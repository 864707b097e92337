package dev.chat.room.membership;

import java.time.Instant;
import java.util.List;

import com.mongodb.client.result.UpdateResult;
import reactor.core.publisher.Mono;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

import dev.chat.room.store.DocumentLocks;

import static org.springframework.data.mongodb.core.query.Criteria.where;

/**
 * The collections of this feature (see the package documentation). Every operation filters on
 * exactly {@code _id}. Transitions of a membership take the membership's own lock, so that they
 * read and write as one step on FerretDB too; the {@code room_members} operations expect the
 * caller to hold the room's lock, because the room's count must move with them.
 */
@Component
class Memberships {

	private final ReactiveMongoTemplate mongo;

	private final DocumentLocks locks;

	Memberships(ReactiveMongoTemplate mongo, DocumentLocks locks) {
		this.mongo = mongo;
		this.locks = locks;
	}

	Mono<Membership> find(String roomId, String userId) {
		return mongo.findOne(byId(Membership.idOf(roomId, userId)), Membership.class);
	}

	Mono<Membership> find(String membershipId) {
		return mongo.findOne(byId(membershipId), Membership.class);
	}

	/**
	 * Makes the user a member, carrying {@code eventId} as evidence in the same write; false if
	 * the user already was one (then nothing is written).
	 */
	Mono<Boolean> becomeMember(String roomId, String userId, String eventId, Instant now) {
		String id = Membership.idOf(roomId, userId);
		return locks.withLock(key(id), () -> find(id).map(existing -> {
			if (existing.isMember()) {
				return Mono.just(false);
			}
			Update rejoin = new Update().set("state", Membership.State.MEMBER)
				.set("joinedAt", now)
				.set("leftAt", null)
				.push("outbox", eventId);
			return mongo.updateFirst(byId(id), rejoin, Membership.class).thenReturn(true);
		}).defaultIfEmpty(Mono.defer(() -> insertFirst(
				new Membership(id, roomId, userId, Membership.State.MEMBER, now, null, List.of(eventId)))))
			.flatMap(write -> write));
	}

	/** The owner's membership, created with the room; no evidence (the room carries it). */
	Mono<Void> enrolOwner(String roomId, String userId, Instant createdAt) {
		return insertFirst(new Membership(Membership.idOf(roomId, userId), roomId, userId, Membership.State.MEMBER,
				createdAt, null, List.of()))
			.then();
	}

	/**
	 * Ends the user's membership, carrying {@code eventId} as evidence in the same write; false if
	 * the user was not a member.
	 */
	Mono<Boolean> stopBeingMember(String roomId, String userId, String eventId, Instant now) {
		String id = Membership.idOf(roomId, userId);
		return locks.withLock(key(id), () -> find(id).filter(Membership::isMember)
			.flatMap(member -> mongo.updateFirst(byId(id),
					new Update().set("state", Membership.State.LEFT).set("leftAt", now).push("outbox", eventId),
					Membership.class))
			.map(result -> true)
			.defaultIfEmpty(false));
	}

	/** Drops the evidence of a published event. */
	Mono<Void> dropEvidence(String membershipId, String eventId) {
		return locks.withLock(key(membershipId),
				() -> mongo.updateFirst(byId(membershipId), new Update().pull("outbox", eventId), Membership.class))
			.then();
	}

	Mono<Invitation> findInvitation(String roomId, String userId) {
		return mongo.findOne(byId(Membership.idOf(roomId, userId)), Invitation.class);
	}

	Mono<Invitation> findInvitation(String invitationId) {
		return mongo.findOne(byId(invitationId), Invitation.class);
	}

	/** Stores the invitation; false if the user already was invited. */
	Mono<Boolean> invite(Invitation invitation) {
		return mongo.insert(invitation)
			.thenReturn(true)
			.onErrorResume(DuplicateKeyException.class, already -> Mono.just(false));
	}

	Mono<RoomMembers> roomMembers(String roomId) {
		return mongo.findOne(byId(roomId), RoomMembers.class).defaultIfEmpty(new RoomMembers(roomId, List.of()));
	}

	/** Adds the user to the room's member list; true if they were not on it. Under the room's lock. */
	Mono<Boolean> addToRoom(String roomId, String userId) {
		return mongo.upsert(byId(roomId), new Update().addToSet("members", userId), RoomMembers.class)
			.map(Memberships::changed);
	}

	/** Removes the user from the room's member list; true if they were on it. Under the room's lock. */
	Mono<Boolean> removeFromRoom(String roomId, String userId) {
		return mongo.updateFirst(byId(roomId), new Update().pull("members", userId), RoomMembers.class)
			.map(Memberships::changed);
	}

	Mono<UserRooms> userRooms(String userId) {
		return mongo.findOne(byId(userId), UserRooms.class).defaultIfEmpty(UserRooms.none(userId));
	}

	Mono<Void> addToUser(String userId, String roomId, boolean privateRoom) {
		Update update = new Update().addToSet("rooms", roomId);
		if (privateRoom) {
			update.addToSet("privateRooms", roomId);
		}
		return locks.withLock("user_rooms:" + userId,
				() -> mongo.upsert(byId(userId), update, UserRooms.class))
			.then();
	}

	Mono<Void> removeFromUser(String userId, String roomId) {
		return locks.withLock("user_rooms:" + userId,
				() -> mongo.updateFirst(byId(userId), new Update().pull("rooms", roomId).pull("privateRooms", roomId),
						UserRooms.class))
			.then();
	}

	private Mono<Boolean> insertFirst(Membership membership) {
		return mongo.insert(membership)
			.thenReturn(true)
			.onErrorResume(DuplicateKeyException.class, concurrent -> Mono.just(false));
	}

	private static boolean changed(UpdateResult result) {
		return result.getModifiedCount() > 0 || result.getUpsertedId() != null;
	}

	private static String key(String membershipId) {
		return "memberships:" + membershipId;
	}

	private static Query byId(String id) {
		return new Query(where("_id").is(id));
	}

}
