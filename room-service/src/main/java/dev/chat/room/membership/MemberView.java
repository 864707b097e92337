package dev.chat.room.membership;

import java.time.Instant;

import dev.chat.room.room.Room;
import dev.chat.room.room.RoomView;

/**
 * A member as the members listing shows it.
 *
 * @param role {@code owner} or {@code member}
 */
public record MemberView(String userId, String role, Instant joinedAt) {

	static final String CURSOR_KIND = "members";

	static MemberView of(Membership membership, Room room) {
		return new MemberView(membership.userId(),
				room.isOwnedBy(membership.userId()) ? RoomView.OWNER : RoomView.MEMBER, membership.joinedAt());
	}

}
