package dev.chat.auth.profile;

import java.util.regex.Pattern;

/**
 * Display names taken from token claims, where no request validation applied: the same rules as
 * for registration (at most 64 characters, no control characters or line breaks), enforced by
 * cleaning rather than refusing, since the user cannot correct a name another system gave them.
 */
final class DisplayNames {

	static final int MAX_LENGTH = 64;

	private static final Pattern FORBIDDEN = Pattern.compile("[\\p{Cc}\\p{Zl}\\p{Zp}]");

	private DisplayNames() {
	}

	/** The cleaned name, or {@code fallback} when nothing usable remains. */
	static String clean(String name, String fallback) {
		if (name == null) {
			return fallback;
		}
		String cleaned = FORBIDDEN.matcher(name).replaceAll(" ").strip().replaceAll(" {2,}", " ");
		if (cleaned.isEmpty()) {
			return fallback;
		}
		if (cleaned.codePointCount(0, cleaned.length()) > MAX_LENGTH) {
			cleaned = cleaned.substring(0, cleaned.offsetByCodePoints(0, MAX_LENGTH)).strip();
		}
		return cleaned;
	}

}
