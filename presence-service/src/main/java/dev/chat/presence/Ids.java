package dev.chat.presence;

import java.util.regex.Pattern;

/**
 * What well-formed ids look like. Room and node ids end up inside document ids
 * ({@code "{roomId}:{userId}"}, {@code "{nodeId}:{incarnation}"}), so they may not contain
 * {@code :}; room ids follow the gateway's and message-service's rule. User and connection ids
 * come from tokens and gateways: they only have to be present and reasonably short.
 */
public final class Ids {

	private static final Pattern ROOM_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

	private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

	private static final int MAX_ID = 128;

	public static boolean isRoomId(String roomId) {
		return roomId != null && ROOM_ID.matcher(roomId).matches();
	}

	public static boolean isNodeId(String nodeId) {
		return nodeId != null && NODE_ID.matcher(nodeId).matches();
	}

	/** A user, connection or incarnation id: not blank, at most 128 characters. */
	public static boolean isId(String id) {
		return id != null && !id.isBlank() && id.length() <= MAX_ID;
	}

	private Ids() {
	}

}
