package dev.chat.room.room;

import java.text.Normalizer;
import java.util.Locale;

/** Room names: how they are cleaned before storing and folded for uniqueness and search. */
public final class RoomNames {

	/** The longest name, in UTF-16 units, counted before stripping surrounding white space. */
	public static final int MAX_LENGTH = 80;

	/**
	 * Anything but control characters, line and paragraph separators, and the bidirectional
	 * overrides and isolates (which make a name display as another).
	 */
	public static final String ALLOWED = "^[^\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029\\u202A-\\u202E\\u2066-\\u2069]*$";

	/** The name as stored: composed (NFC), without surrounding white space. */
	public static String clean(String name) {
		return Normalizer.normalize(name, Normalizer.Form.NFC).strip();
	}

	/**
	 * The key two names clash on: compatibility-composed (NFKC, so a full-width "Ａ" is "A") and
	 * case-folded by upper- then lower-casing (so "Straße" and "STRASSE" clash too).
	 */
	public static String key(String name) {
		return Normalizer.normalize(name.strip(), Normalizer.Form.NFKC)
			.toUpperCase(Locale.ROOT)
			.toLowerCase(Locale.ROOT);
	}

	private RoomNames() {
	}

}
