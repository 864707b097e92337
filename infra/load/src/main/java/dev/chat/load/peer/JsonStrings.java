package dev.chat.load.peer;

/**
 * Just enough JSON for the peers' frames: quoting a body into a JSON string and reading one back,
 * without a parser. A body without escapes (the load generator's are plain ASCII) is read back
 * as one {@link String#substring}.
 */
final class JsonStrings {

	private static final char[] HEX = "0123456789abcdef".toCharArray();

	private JsonStrings() {
	}

	/** Appends {@code value} to {@code out} as a JSON string, quotes included. */
	static StringBuilder quote(StringBuilder out, String value) {
		out.append('"');
		int n = value.length();
		int plain = 0;
		for (int i = 0; i < n; i++) {
			char c = value.charAt(i);
			if (c >= 0x20 && c != '"' && c != '\\' && c != 0x2028 && c != 0x2029) {
				continue;
			}
			out.append(value, plain, i);
			switch (c) {
				case '"' -> out.append("\\\"");
				case '\\' -> out.append("\\\\");
				case '\n' -> out.append("\\n");
				case '\r' -> out.append("\\r");
				case '\t' -> out.append("\\t");
				case '\b' -> out.append("\\b");
				case '\f' -> out.append("\\f");
				default -> out.append("\\u").append(HEX[c >> 12 & 0xF]).append(HEX[c >> 8 & 0xF])
					.append(HEX[c >> 4 & 0xF]).append(HEX[c & 0xF]);
			}
			plain = i + 1;
		}
		return out.append(value, plain, n).append('"');
	}

	static String quote(String value) {
		return quote(new StringBuilder(value.length() + 2), value).toString();
	}

	/**
	 * Reads the JSON string whose opening quote is at {@code open} in {@code text}.
	 *
	 * @return the decoded string, or {@code null} when there is no well-formed string there
	 */
	static String unquote(String text, int open) {
		if (open < 0 || open >= text.length() || text.charAt(open) != '"') {
			return null;
		}
		int start = open + 1;
		int n = text.length();
		for (int i = start; i < n; i++) {
			char c = text.charAt(i);
			if (c == '"') {
				return text.substring(start, i);
			}
			if (c == '\\') {
				return unescape(text, start, i);
			}
		}
		return null;
	}

	private static String unescape(String text, int start, int firstEscape) {
		StringBuilder out = new StringBuilder(firstEscape - start + 16).append(text, start, firstEscape);
		int n = text.length();
		int i = firstEscape;
		while (i < n) {
			char c = text.charAt(i);
			if (c == '"') {
				return out.toString();
			}
			if (c != '\\') {
				out.append(c);
				i++;
				continue;
			}
			if (i + 1 >= n) {
				return null;
			}
			char e = text.charAt(i + 1);
			switch (e) {
				case '"', '\\', '/' -> out.append(e);
				case 'n' -> out.append('\n');
				case 'r' -> out.append('\r');
				case 't' -> out.append('\t');
				case 'b' -> out.append('\b');
				case 'f' -> out.append('\f');
				case 'u' -> {
					if (i + 6 > n) {
						return null;
					}
					int code = 0;
					for (int k = i + 2; k < i + 6; k++) {
						int digit = Character.digit(text.charAt(k), 16);
						if (digit < 0) {
							return null;
						}
						code = code << 4 | digit;
					}
					out.append((char) code);
					i += 4;
				}
				default -> {
					return null;
				}
			}
			i += 2;
		}
		return null;
	}

}
