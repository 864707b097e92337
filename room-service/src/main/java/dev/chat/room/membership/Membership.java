package dev.chat.room.membership;

import java.time.Instant;
import java.util.List;

import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;

/**
 * A user's membership of a room, in {@code memberships}.
 *
 * @param id {@code "{roomId}:{userId}"}
 * @param joinedAt when the user last joined
 * @param leftAt when the user last left; null while a member since
 * @param outbox ids of this membership's events not yet published; written in the same write as
 * the change they describe, removed once published
 */
@Document("memberships")
record Membership(@MongoId(FieldType.STRING) String id, String roomId, String userId, State state,
		Instant joinedAt, Instant leftAt, List<String> outbox) {

	enum State {

		MEMBER, LEFT

	}

	static String idOf(String roomId, String userId) {
		return roomId + ":" + userId;
	}

	/** The user id of a membership id. */
	static String userOf(String membershipId) {
		return membershipId.substring(membershipId.indexOf(':') + 1);
	}

	/** The room id of a membership id (room ids hold no colon). */
	static String roomOf(String membershipId) {
		return membershipId.substring(0, membershipId.indexOf(':'));
	}

	boolean isMember() {
		return state == State.MEMBER;
	}

	boolean carries(String eventId) {
		return outbox != null && outbox.contains(eventId);
	}

}
