package dev.chat.load.measure;

/**
 * The body of every message the generator sends: {@code <runId>:<msgNo>:<scheduledNanos>:<padding>}.
 * The send time is the scheduled one (open loop), so a delivery's latency counts the time the
 * generator itself fell behind; {@link SendLog} keeps the actual send times for the other view.
 * Bodies contain no character JSON escapes, so a receiver can cut them out of a frame without
 * parsing it.
 *
 * @param runId which run sent it (a reused room may replay an earlier run's messages)
 * @param msgNo the message's number in the run, from 0
 * @param sentNanos {@link System#nanoTime()} of its scheduled send
 */
public record Body(String runId, int msgNo, long sentNanos) {

	/** Formats a body padded with {@code x} to {@code size} characters (never shorter than its fields). */
	public static String format(String runId, int msgNo, long sentNanos, int size) {
		StringBuilder text = new StringBuilder(Math.max(size, 48)).append(runId)
			.append(':')
			.append(msgNo)
			.append(':')
			.append(sentNanos)
			.append(':');
		while (text.length() < size) {
			text.append('x');
		}
		return text.toString();
	}

	/** Parses a body, or returns null when it is not one of ours (or another run's, when {@code runId} is given). */
	public static Body parse(String body, String runId) {
		int first = body.indexOf(':');
		if (first < 0 || (runId != null && !body.regionMatches(0, runId, 0, first))
				|| (runId != null && first != runId.length())) {
			return null;
		}
		int second = body.indexOf(':', first + 1);
		int third = second < 0 ? -1 : body.indexOf(':', second + 1);
		if (third < 0) {
			return null;
		}
		try {
			return new Body(body.substring(0, first), Integer.parseInt(body, first + 1, second, 10),
					Long.parseLong(body, second + 1, third, 10));
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

}
