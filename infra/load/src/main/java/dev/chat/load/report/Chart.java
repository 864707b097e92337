package dev.chat.load.report;

/** An SVG document to write next to the report, as {@code <report name>-<name>.svg}. */
public record Chart(String name, String svg) {
}
