package dev.chat.room;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

import io.swagger.v3.oas.annotations.media.Schema;

import dev.chat.common.error.ChatProblems;

/**
 * Cursor pagination as every listing of room-service does it: a page holds up to {@code limit}
 * items in a stable order, and {@code nextCursor} is present while more remain. A cursor is
 * opaque to clients: it encodes the key of the last item returned and the listing it belongs to,
 * so a cursor of another listing, or one that was tampered with, is a 400.
 */
public final class Paging {

	public static final int DEFAULT_LIMIT = 20;

	public static final int MAX_LIMIT = 100;

	private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

	/** The {@code limit} parameter: absent means 20; otherwise a whole number from 1 to 100. */
	public static int limit(String raw) {
		if (raw == null || raw.isEmpty()) {
			return DEFAULT_LIMIT;
		}
		try {
			int limit = Integer.parseInt(raw);
			if (limit >= 1 && limit <= MAX_LIMIT) {
				return limit;
			}
		}
		catch (NumberFormatException notANumber) {
			// answered below
		}
		throw ChatProblems.invalid("limit", "must be a whole number from 1 to " + MAX_LIMIT);
	}

	/**
	 * The key a {@code cursor} parameter carries for the listing {@code kind}; null when absent.
	 * A cursor that does not decode, is of another listing or whose key fails {@code validKey} is
	 * a 400 naming {@code cursor}.
	 */
	public static String after(String kind, String cursor, Predicate<String> validKey) {
		if (cursor == null || cursor.isEmpty()) {
			return null;
		}
		try {
			String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
			String prefix = kind + ":";
			if (decoded.startsWith(prefix) && validKey.test(decoded.substring(prefix.length()))) {
				return decoded.substring(prefix.length());
			}
		}
		catch (IllegalArgumentException notBase64) {
			// answered below
		}
		throw ChatProblems.invalid("cursor", "is not a cursor of this listing");
	}

	/**
	 * The page of the first {@code limit} of {@code fetched} (which holds up to one more, to tell
	 * whether more remain), its cursor made from the key of its last item.
	 */
	public static <T> Page<T> page(String kind, List<T> fetched, int limit, Function<T, String> keyOf) {
		if (fetched.size() <= limit) {
			return new Page<>(List.copyOf(fetched), null);
		}
		List<T> items = List.copyOf(fetched.subList(0, limit));
		String last = keyOf.apply(items.getLast());
		return new Page<>(items, ENCODER.encodeToString((kind + ":" + last).getBytes(StandardCharsets.UTF_8)));
	}

	/**
	 * One page of a listing.
	 *
	 * @param nextCursor pass as {@code cursor} for the next page; null on the last page
	 */
	public record Page<T>(List<T> items, @Schema(types = { "string", "null" }) String nextCursor) {

		public <R> Page<R> map(Function<T, R> mapper) {
			return new Page<>(items.stream().map(mapper).toList(), nextCursor);
		}

	}

	private Paging() {
	}

}
