package dev.chat.load.target;

/**
 * Reads the few fields the generator needs straight out of a gateway frame's text, without a
 * JSON parse: a delivery is the generator's hottest path and it shares the machine with the
 * server it measures. Only correct for values without escapes, which holds for every field read
 * here (types, ids, codes and the generator's own bodies).
 */
final class Frames {

	private Frames() {
	}

	/** The string value of {@code "name":"..."}, or null. */
	static String string(String frame, String name) {
		String key = "\"" + name + "\":\"";
		int start = frame.indexOf(key);
		if (start < 0) {
			return null;
		}
		start += key.length();
		int end = frame.indexOf('"', start);
		return end < 0 ? null : frame.substring(start, end);
	}

	/** The frame's type, read from its start where the gateway writes it. */
	static String type(String frame) {
		return frame.startsWith("{\"type\":\"") ? frame.substring(9, frame.indexOf('"', 9)) : string(frame, "type");
	}

	/** The body of a {@code message} frame. */
	static String body(String frame) {
		return string(frame, "body");
	}

	private static final String SENT_AT = "\"sentAt\":\"";

	/**
	 * The {@code sentAt} of a {@code message} frame (ISO-8601, as the gateway writes an
	 * {@link java.time.Instant}) in epoch milliseconds, or {@link SentAtDeliveries#NO_SENT_AT}.
	 */
	static long sentAtMillis(String frame) {
		int at = frame.indexOf(SENT_AT);
		if (at < 0) {
			return SentAtDeliveries.NO_SENT_AT;
		}
		int start = at + SENT_AT.length();
		int end = frame.indexOf('"', start);
		if (end < 0) {
			return SentAtDeliveries.NO_SENT_AT;
		}
		try {
			return java.time.Instant.parse(frame.substring(start, end)).toEpochMilli();
		}
		catch (java.time.DateTimeException ex) {
			return SentAtDeliveries.NO_SENT_AT;
		}
	}

	/** The number value of {@code "name":123}, or -1. */
	static long number(String frame, String name) {
		String key = "\"" + name + "\":";
		int at = frame.indexOf(key);
		if (at < 0) {
			return -1;
		}
		long value = 0;
		boolean any = false;
		for (int i = at + key.length(); i < frame.length(); i++) {
			char c = frame.charAt(i);
			if (c < '0' || c > '9') {
				break;
			}
			value = value * 10 + (c - '0');
			any = true;
		}
		return any ? value : -1;
	}

}
