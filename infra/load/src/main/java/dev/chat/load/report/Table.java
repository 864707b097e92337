package dev.chat.load.report;

import java.util.List;

/**
 * A result as rows, printed as a markdown table.
 */
public record Table(String title, List<String> header, List<List<String>> rows) {

	public String markdown() {
		int[] widths = new int[header.size()];
		for (int i = 0; i < header.size(); i++) {
			widths[i] = header.get(i).length();
			for (List<String> row : rows) {
				widths[i] = Math.max(widths[i], row.get(i).length());
			}
		}
		StringBuilder out = new StringBuilder("### ").append(title).append("\n\n");
		line(out, header, widths);
		out.append('|');
		for (int width : widths) {
			out.append("-".repeat(width + 2)).append('|');
		}
		out.append('\n');
		rows.forEach(row -> line(out, row, widths));
		return out.toString();
	}

	private static void line(StringBuilder out, List<String> cells, int[] widths) {
		out.append('|');
		for (int i = 0; i < cells.size(); i++) {
			out.append(' ').append(cells.get(i)).append(" ".repeat(widths[i] - cells.get(i).length())).append(" |");
		}
		out.append('\n');
	}

}
