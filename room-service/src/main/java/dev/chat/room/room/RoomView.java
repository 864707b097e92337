package dev.chat.room.room;

import java.time.Instant;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A room as one caller sees it.
 *
 * @param visibility {@code public} or {@code private}
 * @param ownerId null once the owner left as the last member
 * @param memberCount members including the owner
 * @param role the caller's role, {@code owner} or {@code member}; null if the caller is not a
 * member
 * @param invited whether the caller holds an invitation to the room
 */
public record RoomView(String id, String name, @Schema(types = { "string", "null" }) String description,
		String visibility,
		@Schema(types = { "string", "null" }) String ownerId, long memberCount, Instant createdAt,
		@Schema(types = { "string", "null" }, allowableValues = { OWNER, MEMBER }) String role, boolean invited) {

	public static final String OWNER = "owner";

	public static final String MEMBER = "member";

	public static RoomView of(Room room, boolean member, boolean invited, String callerId) {
		String role = !member ? null : room.isOwnedBy(callerId) ? OWNER : MEMBER;
		return new RoomView(room.id(), room.name(), room.description(), room.visibility().wireName(),
				room.ownerId(), room.memberCount(), room.createdAt(), role, invited);
	}

}
