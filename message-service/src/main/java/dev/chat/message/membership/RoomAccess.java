package dev.chat.message.membership;

/**
 * What a user may do in a room, according to this service's projection of {@code chat.rooms}.
 */
public sealed interface RoomAccess {

	/**
	 * A current member.
	 *
	 * @param owner whether they own the room (and may delete others' messages)
	 */
	record Member(boolean owner) implements RoomAccess {
	}

	/** The room exists; the user is not (or no longer) a member. */
	record NotMember() implements RoomAccess {
	}

	/** No such room is known here (yet: the projection may lag room-service by moments). */
	record NoSuchRoom() implements RoomAccess {
	}

}
