package dev.chat.load.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.HdrHistogram.Histogram;

/**
 * Line charts as standalone SVG, written by hand so the generator needs no plotting library:
 * axes with five ticks each, one polyline per series, a legend. Good enough to see a curve
 * bend; the numbers themselves are in the JSON next to it.
 */
public final class Svg {

	private static final int WIDTH = 720, HEIGHT = 420, LEFT = 70, RIGHT = 170, TOP = 40, BOTTOM = 50;

	private static final String[] COLOURS = { "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
			"#e377c2", "#7f7f7f" };

	/** One named series of points. */
	public record Series(String name, List<double[]> points) {
	}

	private Svg() {
	}

	/**
	 * A percentile plot of histograms of microseconds, as HdrHistogram draws them: x is
	 * {@code 1 / (1 - percentile)} on a log scale (ticks 0, 90, 99, 99.9, 99.99 %), y milliseconds.
	 */
	public static String percentiles(String title, List<String> names, List<Histogram> histograms) {
		List<Series> series = new ArrayList<>();
		for (int i = 0; i < histograms.size(); i++) {
			List<double[]> points = new ArrayList<>();
			Histogram histogram = histograms.get(i);
			if (histogram.getTotalCount() > 0) {
				for (double p : new double[] { 0, 10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 99.999 }) {
					points.add(new double[] { Math.log10(1 / (1 - p / 100.0)), histogram.getValueAtPercentile(p) / 1000.0 });
				}
				points.add(new double[] { 5, histogram.getMaxValue() / 1000.0 });
			}
			series.add(new Series(names.get(i), points));
		}
		return chart(title, "percentile (log scale of 1/(1-p))", "latency ms", series,
				new String[] { "0%", "90%", "99%", "99.9%", "99.99%", "99.999%" });
	}

	/** A line chart with numeric axes. */
	public static String lines(String title, String xLabel, String yLabel, List<Series> series) {
		return chart(title, xLabel, yLabel, series, null);
	}

	private static String chart(String title, String xLabel, String yLabel, List<Series> series, String[] xNames) {
		double maxX = 0, maxY = 0;
		for (Series s : series) {
			for (double[] p : s.points()) {
				maxX = Math.max(maxX, p[0]);
				maxY = Math.max(maxY, p[1]);
			}
		}
		if (xNames != null) {
			maxX = xNames.length - 1;
		}
		maxX = maxX == 0 ? 1 : maxX;
		maxY = maxY == 0 ? 1 : maxY * 1.05;
		int plotW = WIDTH - LEFT - RIGHT, plotH = HEIGHT - TOP - BOTTOM;
		StringBuilder svg = new StringBuilder();
		svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
			.append(String.format(Locale.ROOT,
					"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n",
					WIDTH, HEIGHT, WIDTH, HEIGHT))
			.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n")
			.append(text(WIDTH / 2.0, 22, "middle", title, 15))
			.append(String.format(Locale.ROOT,
					"<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#444\"/>%n", LEFT, TOP,
					plotW, plotH));
		for (int i = 0; i <= 5; i++) {
			double y = TOP + plotH - plotH * i / 5.0;
			svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n",
					LEFT, y, LEFT + plotW, y))
				.append(text(LEFT - 6, y + 4, "end", number(maxY * i / 5.0), 11));
		}
		int xTicks = xNames != null ? xNames.length - 1 : 5;
		for (int i = 0; i <= xTicks; i++) {
			double x = LEFT + plotW * i / (double) xTicks;
			svg.append(text(x, TOP + plotH + 16, "middle", xNames != null ? xNames[i] : number(maxX * i / xTicks), 11));
		}
		svg.append(text(LEFT + plotW / 2.0, HEIGHT - 12, "middle", xLabel, 12))
			.append(String.format(Locale.ROOT,
					"<text x=\"16\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 16 %.1f)\">%s</text>%n",
					TOP + plotH / 2.0, TOP + plotH / 2.0, escape(yLabel)));
		for (int s = 0; s < series.size(); s++) {
			String colour = COLOURS[s % COLOURS.length];
			StringBuilder points = new StringBuilder();
			for (double[] p : series.get(s).points()) {
				points.append(String.format(Locale.ROOT, "%.1f,%.1f ", LEFT + plotW * p[0] / maxX,
						TOP + plotH - plotH * p[1] / maxY));
			}
			svg.append(String.format(Locale.ROOT,
					"<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>%n", colour,
					points.toString().trim()));
			double legendY = TOP + 14 + s * 18;
			svg.append(String.format(Locale.ROOT,
					"<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"3\"/>%n",
					LEFT + plotW + 10, legendY - 4, LEFT + plotW + 28, legendY - 4, colour))
				.append(text(LEFT + plotW + 32, legendY, "start", series.get(s).name(), 11));
		}
		return svg.append("</svg>\n").toString();
	}

	private static String text(double x, double y, String anchor, String content, int size) {
		return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\">%s</text>%n",
				x, y, anchor, size, escape(content));
	}

	private static String number(double value) {
		if (value >= 100 || value == Math.rint(value)) {
			return String.format(Locale.ROOT, "%,.0f", value);
		}
		return String.format(Locale.ROOT, value >= 10 ? "%.1f" : "%.2f", value);
	}

	static String escape(String text) {
		return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
	}

}
