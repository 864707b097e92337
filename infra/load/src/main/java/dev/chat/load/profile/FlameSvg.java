package dev.chat.load.profile;

import java.util.Locale;

/**
 * A flame graph as one standalone SVG, in the layout of Brendan Gregg's {@code flamegraph.pl}: the
 * root at the bottom, callees stacked above their callers, width proportional to samples. Each
 * frame is a {@code <g>} holding a {@code <title>} (the browser's tooltip: name, samples,
 * percent), its rect and its label, cut with ".." where the rect is too narrow for it. No script,
 * so it opens the same in a browser, an IDE and a docs page.
 */
final class FlameSvg {

	private static final int WIDTH = 1200, PAD = 10, ROW = 16, HEADER = 64, FOOTER = 10;

	/** Verdana at 12 px averages about 7 px a character. */
	private static final double CHAR_WIDTH = 7;

	private FlameSvg() {
	}

	static String render(FlameLayout layout, long samples, String title, String subtitle) {
		int height = HEADER + layout.depth() * ROW + FOOTER;
		double scale = samples == 0 ? 0 : (WIDTH - 2.0 * PAD) / samples;
		StringBuilder out = new StringBuilder();
		out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
		out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n"
			.formatted(WIDTH, height, WIDTH, height));
		out.append("<style>text { font-family: Verdana, sans-serif; font-size: 12px; } ")
			.append(".frame rect:hover { stroke: black; stroke-width: 1; } .frame text { pointer-events: none; }</style>\n");
		out.append("<rect width=\"100%\" height=\"100%\" fill=\"rgb(248,248,244)\"/>\n");
		out.append("<text x=\"%d\" y=\"22\" text-anchor=\"middle\" style=\"font-size: 17px\">%s</text>\n"
			.formatted(WIDTH / 2, escape(title)));
		out.append("<text x=\"%d\" y=\"40\" text-anchor=\"middle\">%s</text>\n".formatted(WIDTH / 2, escape(subtitle)));
		legend(out);
		for (FlameLayout.Box box : layout.boxes()) {
			frame(out, box, samples, scale, height);
		}
		out.append("</svg>\n");
		return out.toString();
	}

	private static void legend(StringBuilder out) {
		double x = PAD;
		for (Family family : Family.values()) {
			if (family.label().isEmpty()) {
				continue;
			}
			out.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"47\" width=\"10\" height=\"10\" fill=\"%s\"/>", x,
					family.base()));
			out.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"56\">%s</text>\n", x + 14, escape(family.label())));
			x += 14 + family.label().length() * CHAR_WIDTH + 16;
		}
	}

	private static void frame(StringBuilder out, FlameLayout.Box box, long samples, double scale, int height) {
		double x = PAD + box.start() * scale, width = box.total() * scale;
		double y = height - FOOTER - (box.level() + 1) * ROW;
		String tooltip = String.format(Locale.ROOT, "%s (%d sample%s, %.2f%%, self %d)", box.name(), box.total(),
				box.total() == 1 ? "" : "s", 100.0 * box.total() / samples, box.self());
		out.append("<g class=\"frame\"><title>").append(escape(tooltip)).append("</title>");
		out.append(String.format(Locale.ROOT,
				"<rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%d\" rx=\"2\" fill=\"%s\"/>", x, y,
				Math.max(0.1, width - 0.5), ROW - 1, Family.of(box.name()).colour(box.name())));
		out.append(String.format(Locale.ROOT, "<text x=\"%.2f\" y=\"%.1f\">%s</text></g>\n", x + 3, y + ROW - 4.5,
				escape(label(box.name(), width))));
	}

	/**
	 * The whole name where it fits, else without its package ({@code String.valueOf} says more than
	 * {@code java.lang.St..}), cut only when even that is too long.
	 */
	static String label(String name, double width) {
		int fits = (int) ((width - 6) / CHAR_WIDTH);
		if (fits >= name.length()) {
			return name;
		}
		int method = name.lastIndexOf('.');
		String simple = method > 0 ? name.substring(name.lastIndexOf('.', method - 1) + 1) : name;
		if (fits >= simple.length()) {
			return simple;
		}
		return fits < 3 ? "" : simple.substring(0, fits - 2) + "..";
	}

	static String escape(String text) {
		StringBuilder out = new StringBuilder(text.length());
		for (char c : text.toCharArray()) {
			switch (c) {
				case '&' -> out.append("&amp;");
				case '<' -> out.append("&lt;");
				case '>' -> out.append("&gt;");
				case '"' -> out.append("&quot;");
				// XML 1.0 has no way to write most control characters, even escaped: a thread or title could hold one
				default -> out.append(c < 0x20 && c != '\t' && c != '\n' ? '?' : c);
			}
		}
		return out.toString();
	}

}
