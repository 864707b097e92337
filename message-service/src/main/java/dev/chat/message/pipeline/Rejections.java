package dev.chat.message.pipeline;

/**
 * The {@code reason} of a {@code message.rejected} event: machine-readable, for clients to act on.
 */
final class Rejections {

	/** The room's key, room id, user, or command id is missing or malformed; or a body breaks the rules. */
	static final String INVALID_COMMAND = "invalid_command";

	/** No such room is known to message-service (yet). */
	static final String ROOM_NOT_FOUND = "room_not_found";

	/** The user is not a member of the room. */
	static final String NOT_MEMBER = "not_member";

	/** An edit or delete names no message of the room. */
	static final String MESSAGE_NOT_FOUND = "message_not_found";

	/** The message was deleted; it can be neither edited nor deleted again. */
	static final String MESSAGE_DELETED = "message_deleted";

	/** Only a message's sender may edit it. */
	static final String NOT_SENDER = "not_sender";

	/** Only a message's sender or the room's owner may delete it. */
	static final String NOT_OWNER = "not_owner";

	private Rejections() {
	}

}
