package dev.chat.room.membership;

import dev.chat.room.Caller;
import dev.chat.room.room.Room;

/**
 * What a caller is to a room, which decides what they may see and do.
 *
 * @param member whether the caller is a member now
 * @param invited whether the caller holds an invitation
 */
public record Access(Room room, Caller caller, boolean member, boolean invited) {

	/**
	 * Whether the caller may know the room exists: anyone for a public room; for a private room
	 * its members, the users invited to it and admins. Everyone else gets a 404.
	 */
	public boolean canSee() {
		return !room.isPrivate() || member || invited || caller.admin();
	}

	/** Whether the caller may invite and hand over ownership: the owner or an admin. */
	public boolean canManage() {
		return room.isOwnedBy(caller.userId()) || caller.admin();
	}

}
