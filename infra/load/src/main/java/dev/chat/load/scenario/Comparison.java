package dev.chat.load.scenario;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import dev.chat.load.report.Svg;
import dev.chat.load.report.Table;

/**
 * The figures {@code compare} sets side by side, per server, and the ratios of ours to each peer:
 * the highest rate held (p99 under 100 ms, nothing lost), deliveries per server CPU-second at
 * 50 msg/s (the nearest rate run when 50 was not), and server memory (RSS growth) per connection.
 * Plain arithmetic over the scenarios' results, so it is tested without a server.
 */
public final class Comparison {

	/** Our gateway's name in the comparison; every other server is a peer. */
	public static final String OURS = "chat";

	/** The rate the deliveries-per-CPU-second ratio is taken at. */
	static final double CPU_RATE = 50;

	private Comparison() {
	}

	/** One fan-out step of one server; {@code deliveriesPerCpuSecond} is -1 when the server's CPU was unknown. */
	public record Point(double rate, double p50, double p99, double max, long lost, double deliveriesPerCpuSecond,
			boolean holds) {

		static Point of(FanoutScenario.StepResult s) {
			return new Point(s.offeredPerSecond(), s.latency().p50(), s.latency().p99(), s.latency().max(),
					s.counts().lost(), s.deliveriesPerCpuSecond(), s.holds());
		}

	}

	/** The connections part of one server; -1 where unknown. */
	public record Connect(int requested, int opened, double p50, double p99, long rssPerConnection,
			double cpuPerConnectionMillis) {

		static Connect of(ConnectionsScenario.ConnectionsResult r) {
			return new Connect(r.requested(), r.opened(), r.fromSchedule().p50(), r.fromSchedule().p99(),
					r.rssPerConnection(), r.cpuPerConnectionMillis());
		}

	}

	/** One server's figures; {@code connect} null or {@code points} empty when that part did not run. */
	public record Server(String name, List<Point> points, Connect connect) {
	}

	/**
	 * One ratio of ours to a peer.
	 *
	 * @param ratio ours / theirs, null when either side is unknown or the peer's is zero
	 * @param atRate the rate the figures are from (deliveries per CPU-second), else null
	 */
	public record Ratio(String what, String peer, double ours, double theirs, Double ratio, String unit,
			Double atRate) {

		public String line() {
			return "%s/%s %s%s: %s / %s%s = %s".formatted(OURS, peer, what,
					atRate == null ? "" : " (at %.0f msg/s)".formatted(atRate), number(ours), number(theirs),
					unit.isEmpty() ? "" : " " + unit, ratio == null ? "n/a" : "%.2f×".formatted(ratio));
		}

	}

	/** The highest rate that held, 0 when none did. */
	static double highestHeld(Server server) {
		return server.points().stream().filter(Point::holds).mapToDouble(Point::rate).max().orElse(0);
	}

	/** The point at {@code rate}, or the nearest one run (the lower of two as near); null without points. */
	static Point near(Server server, double rate) {
		return server.points()
			.stream()
			.min(Comparator.comparingDouble((Point p) -> Math.abs(p.rate() - rate)).thenComparingDouble(Point::rate))
			.orElse(null);
	}

	/** ours / theirs, or null when either is unknown (negative) or theirs is zero. */
	static Double ratio(double ours, double theirs) {
		if (ours < 0 || theirs <= 0 || Double.isNaN(ours) || Double.isNaN(theirs)) {
			return null;
		}
		return ours / theirs;
	}

	/** The ratios of ours to every peer; none when ours is not among the servers. */
	public static List<Ratio> ratios(List<Server> servers) {
		Server ours = servers.stream().filter(s -> s.name().equals(OURS)).findFirst().orElse(null);
		List<Ratio> ratios = new ArrayList<>();
		if (ours == null) {
			return ratios;
		}
		for (Server peer : servers) {
			if (peer == ours) {
				continue;
			}
			if (!ours.points().isEmpty() && !peer.points().isEmpty()) {
				double a = highestHeld(ours), b = highestHeld(peer);
				ratios.add(new Ratio("highest rate held (p99 < 100 ms, nothing lost)", peer.name(), a, b, ratio(a, b),
						"msg/s", null));
				Point x = near(ours, CPU_RATE), y = near(peer, CPU_RATE);
				ratios.add(new Ratio("deliveries per server CPU-second", peer.name(), x.deliveriesPerCpuSecond(),
						y.deliveriesPerCpuSecond(), ratio(x.deliveriesPerCpuSecond(), y.deliveriesPerCpuSecond()), "",
						x.rate() == y.rate() ? x.rate() : null));
			}
			if (ours.connect() != null && peer.connect() != null) {
				double a = ours.connect().rssPerConnection(), b = peer.connect().rssPerConnection();
				ratios.add(new Ratio("server memory (RSS) per connection", peer.name(), a / 1024.0, b / 1024.0,
						ratio(a, b), "KiB", null));
			}
		}
		return ratios;
	}

	/** The fan-out table, the connections table and the ratio lines. */
	public static List<Table> tables(List<Server> servers, List<Ratio> ratios, int subscribers, int size) {
		List<List<String>> fanout = new ArrayList<>();
		List<List<String>> connections = new ArrayList<>();
		for (Server s : servers) {
			for (Point p : s.points()) {
				fanout.add(List.of(s.name(), "%.0f".formatted(p.rate()), "%.2f".formatted(p.p50()),
						"%.2f".formatted(p.p99()), "%.2f".formatted(p.max()), Long.toString(p.lost()),
						p.deliveriesPerCpuSecond() < 0 ? "n/a" : "%,.0f".formatted(p.deliveriesPerCpuSecond()),
						p.holds() ? "yes" : "no"));
			}
			Connect c = s.connect();
			if (c != null) {
				connections.add(List.of(s.name(), "%,d / %,d".formatted(c.opened(), c.requested()),
						"%.2f".formatted(c.p50()), "%.2f".formatted(c.p99()),
						c.rssPerConnection() < 0 ? "n/a" : "%.1f KiB".formatted(c.rssPerConnection() / 1024.0),
						c.cpuPerConnectionMillis() < 0 ? "n/a" : "%.3f ms".formatted(c.cpuPerConnectionMillis())));
			}
		}
		List<Table> tables = new ArrayList<>();
		tables.add(new Table("compare fanout: %,d subscribers, %d-byte bodies, one publisher at a fixed rate"
			.formatted(subscribers, size),
				List.of("server", "msg/s", "p50 ms", "p99 ms", "max ms", "lost", "deliveries/CPU-s", "holds"), fanout));
		tables.add(new Table("compare connections",
				List.of("server", "opened", "handshake+subscribe p50 ms", "p99 ms", "RSS per connection",
						"CPU per connection"),
				connections));
		tables.add(new Table("ours / peer", List.of("ratio"),
				ratios.isEmpty() ? List.of(List.of("none (no chat or no peer in --servers)"))
						: ratios.stream().map(r -> List.of(r.line())).toList()));
		return tables;
	}

	/** p99 by rate, one line per server. */
	static String p99Chart(List<Server> servers) {
		List<Svg.Series> series = new ArrayList<>();
		for (Server s : servers) {
			series.add(new Svg.Series(s.name(), s.points().stream().map(p -> new double[] { p.rate(), p.p99() }).toList()));
		}
		return Svg.lines("fan-out p99 by send rate", "messages/s sent", "p99 ms", series);
	}

	private static String number(double value) {
		if (value < 0 || Double.isNaN(value)) {
			return "n/a";
		}
		return value == Math.rint(value) ? "%,.0f".formatted(value) : "%,.1f".formatted(value);
	}

}
