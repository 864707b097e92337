package dev.chat.message;

import java.util.regex.Pattern;

/**
 * What well-formed room ids, client message ids and bodies look like: checked on REST input
 * (400) and again on every command read from Kafka (a malformed one is rejected, never stored),
 * because the gateway is not the only producer and a room id ends up inside document ids.
 */
public final class MessageRules {

	/** The longest body, in characters (code points, so an emoji counts once). */
	public static final int MAX_BODY = 4_000;

	/**
	 * Room ids never contain {@code :}: it separates the parts of the document ids built from
	 * them ({@code "{roomId}:{userId}"}, {@code "{roomId}:{bucket}"}), which therefore cannot
	 * collide.
	 */
	private static final Pattern ROOM_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

	private static final Pattern CLIENT_MSG_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

	/** Control characters other than newline and tab. */
	private static final Pattern FORBIDDEN = Pattern.compile("[\\p{Cntrl}&&[^\\n\\t]]");

	public static boolean isRoomId(String roomId) {
		return roomId != null && ROOM_ID.matcher(roomId).matches();
	}

	public static boolean isClientMsgId(String clientMsgId) {
		return clientMsgId != null && CLIENT_MSG_ID.matcher(clientMsgId).matches();
	}

	/** What is wrong with a body, or null when nothing is. */
	public static String bodyProblem(String body) {
		if (body == null || body.strip().isEmpty()) {
			return "must not be empty";
		}
		if (body.codePointCount(0, body.length()) > MAX_BODY) {
			return "must be at most " + MAX_BODY + " characters";
		}
		if (FORBIDDEN.matcher(body).find()) {
			return "must not contain control characters other than newline and tab";
		}
		return null;
	}

	private MessageRules() {
	}

}
