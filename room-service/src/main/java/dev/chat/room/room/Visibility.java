package dev.chat.room.room;

import java.util.Locale;

/** Who may find and join a room. */
public enum Visibility {

	/** Listed to everyone; anyone may join. */
	PUBLIC,

	/** Seen only by its members, the users invited to it and admins; joined only by invitation. */
	PRIVATE;

	/** The name on the wire: {@code public} or {@code private}. */
	public String wireName() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** The visibility named {@code public} or {@code private}, exactly. */
	public static Visibility fromWire(String name) {
		return switch (name) {
			case "public" -> PUBLIC;
			case "private" -> PRIVATE;
			default -> throw new IllegalArgumentException("unknown visibility " + name);
		};
	}

}
