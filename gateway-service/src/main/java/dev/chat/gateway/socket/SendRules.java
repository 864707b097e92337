package dev.chat.gateway.socket;

import java.util.regex.Pattern;

/**
 * What a well-formed frame looks like. Checked before anything reaches Kafka: an invalid frame
 * is answered with an {@code error} frame and changes nothing.
 */
final class SendRules {

	static final int MAX_BODY = 4_000;

	private static final Pattern ROOM_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

	private static final Pattern CLIENT_MSG_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

	/** Control characters other than newline and tab, and lone surrogates. */
	private static final Pattern FORBIDDEN_CHARS = Pattern.compile("[\\p{Cntrl}&&[^\\n\\t]]");

	/** The problem with a room id, or null when it is fine. */
	static String roomIdProblem(String roomId) {
		return roomId == null || !ROOM_ID.matcher(roomId).matches() ? "roomId must be 1-64 letters, digits, - or _"
				: null;
	}

	/** The problem with a send, or null when it is fine. */
	static String sendProblem(ClientFrame.Send send) {
		String room = roomIdProblem(send.roomId());
		if (room != null) {
			return room;
		}
		if (send.clientMsgId() == null || !CLIENT_MSG_ID.matcher(send.clientMsgId()).matches()) {
			return "clientMsgId must be 1-64 letters, digits, or . _ : -";
		}
		if (send.body() == null || send.body().isBlank()) {
			return "body must not be empty";
		}
		if (send.body().codePointCount(0, send.body().length()) > MAX_BODY) {
			return "body must be at most 4000 characters";
		}
		if (FORBIDDEN_CHARS.matcher(send.body()).find()) {
			return "body must not contain control characters other than newline and tab";
		}
		return null;
	}

	private SendRules() {
	}

}
