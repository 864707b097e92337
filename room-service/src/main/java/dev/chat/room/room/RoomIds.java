package dev.chat.room.room;

import java.util.regex.Pattern;

import org.bson.types.ObjectId;

import dev.chat.common.error.ChatProblems;

/**
 * Room ids: an ObjectId's 24 lowercase hex digits. They sort by creation time, which gives
 * listings a stable order and makes the last id seen a cursor.
 */
public final class RoomIds {

	private static final Pattern FORMAT = Pattern.compile("[0-9a-f]{24}");

	public static String next() {
		return new ObjectId().toHexString();
	}

	public static boolean isValid(String id) {
		return id != null && FORMAT.matcher(id).matches();
	}

	/** {@code id} if it is a room id; otherwise a 400 naming {@code field}. */
	public static String require(String id, String field) {
		if (!isValid(id)) {
			throw ChatProblems.invalid(field, "must be a room id (24 hex digits)");
		}
		return id;
	}

	private RoomIds() {
	}

}
