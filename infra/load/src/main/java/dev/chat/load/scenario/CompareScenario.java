package dev.chat.load.scenario;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.chat.load.Options;
import dev.chat.load.measure.ProcessStats;
import dev.chat.load.peer.PeerServer;
import dev.chat.load.report.Chart;
import dev.chat.load.report.Result;
import dev.chat.load.report.Table;
import dev.chat.load.target.ChatTarget;
import dev.chat.load.target.Target;

/**
 * {@code compare}: the {@code connections} and {@code fanout} scenarios against our gateway (fan-out
 * in kafka mode: events produced straight to {@code chat.messages}), then against each peer
 * (Centrifugo v6.9.1, the Socket.IO server; see {@code infra/load/peers/README.md}), with the same
 * subscriber count, body size and rates, and one table of all of them plus the ratios of ours to
 * each peer. A peer's fan-out has one publisher connection, itself subscribed to the channel, that
 * publishes on the open-loop schedule (its deliveries are not counted). With {@code --pin} (the
 * default here) every server runs on CPU 0 and the generator on CPU 1: {@code Bench} pins our
 * gateway's threads and the generator for the whole run, a peer is started under
 * {@code taskset -c 0}. Each server's part is bounded by the scenarios' own timeouts; a peer is
 * stopped by its pid when its part ends, failed or not.
 */
public final class CompareScenario {

	static final List<String> KNOWN = List.of(Comparison.OURS, "centrifugo", "socketio");

	private CompareScenario() {
	}

	/**
	 * @param failures by server, what stopped its part
	 */
	public record CompareResult(List<String> servers, int subscribers, int size, List<Comparison.Server> summary,
			List<Comparison.Ratio> ratios, List<ConnectionsScenario.ConnectionsResult> connections,
			List<FanoutScenario.FanoutResult> fanouts, Map<String, String> failures) implements Result {

		@Override
		public List<Table> tables() {
			List<Table> tables = new ArrayList<>(Comparison.tables(summary, ratios, subscribers, size));
			if (!failures.isEmpty()) {
				tables.add(new Table("failed", List.of("server", "why"),
						failures.entrySet().stream().map(e -> List.of(e.getKey(), e.getValue())).toList()));
			}
			return tables;
		}

		@Override
		public List<Chart> charts() {
			return List.of(new Chart("p99", Comparison.p99Chart(summary)));
		}

	}

	static List<String> servers(String option) {
		List<String> servers = new ArrayList<>();
		for (String name : option.split(",")) {
			String server = name.trim();
			if (!KNOWN.contains(server)) {
				throw new IllegalArgumentException("--servers takes " + String.join(",", KNOWN) + "; not " + server);
			}
			if (!servers.contains(server)) {
				servers.add(server);
			}
		}
		if (servers.isEmpty()) {
			throw new IllegalArgumentException("--servers is empty");
		}
		return servers;
	}

	public static CompareResult run(BenchContext context) {
		Options options = context.options();
		List<String> servers = servers(options.string("servers"));
		int n = options.integer("connections");
		double rate = options.decimal("connect-rate");
		int ioThreads = options.integer("io-threads");
		boolean pin = options.flag("pin");
		List<Comparison.Server> summary = new ArrayList<>();
		List<ConnectionsScenario.ConnectionsResult> connections = new ArrayList<>();
		List<FanoutScenario.FanoutResult> fanouts = new ArrayList<>();
		Map<String, String> failures = new LinkedHashMap<>();
		context.out().printf("compare: %s; %,d connections, then fanout to %,d subscribers at %s msg/s%n", servers, n,
				options.integer("subscribers"), options.string("rates"));
		for (String name : servers) {
			context.out().printf("%n== %s ==%n", name);
			ConnectionsScenario.ConnectionsResult connected = null;
			FanoutScenario.FanoutResult fanned = null;
			try {
				if (name.equals(Comparison.OURS)) {
					ProcessStats gateway = context.process("gateway");
					String where = ":" + context.config().ports().gateway();
					RoomSetup.Room idle = context.everyoneRoom("all");
					RoomSetup.Room room = context.everyoneRoom("kafka");
					try (ChatTarget target = context.chatTarget(List.of(context.config().ports().gateway()))) {
						connected = connections(context, target, where, idle.id(), gateway, true, n, rate);
						fanned = FanoutScenario.measure(context, target, where, room.id(), "kafka", gateway, 0, false,
								(crowd, publishers) -> new Sender.ToKafka(context.config().kafkaBootstrap(), room.id(),
										context.tokens().userId(0), FanoutScenario.head(crowd)));
					}
				}
				else {
					PeerServer.Kind kind = name.equals("centrifugo") ? PeerServer.Kind.CENTRIFUGO
							: PeerServer.Kind.SOCKETIO;
					PeerServer.Options start = PeerServer.Options.of(PeerServer.freePort());
					try (PeerServer server = PeerServer.start(kind, pin ? start.pinnedTo(0) : start);
							Target target = server.target(ioThreads)) {
						context.out().printf("  %s pid %d on :%d%s%n", name, server.pid(), server.port(),
								pin ? ", pinned to CPU 0" : "");
						ProcessStats process = new ProcessStats(server.pid());
						String where = ":" + server.port();
						String channel = "bench-" + context.runId();
						connected = connections(context, target, where, channel + "-idle", process, false, n, rate);
						fanned = FanoutScenario.measure(context, target, where, channel, "publisher", process, 1,
								false, (crowd, publishers) -> new Sender.Through(FanoutScenario.openOf(publishers),
										channel));
					}
				}
			}
			catch (RuntimeException ex) {
				String why = ex.getClass().getSimpleName() + ": " + ex.getMessage();
				failures.put(name, why.length() > 300 ? why.substring(0, 300) + "…" : why);
				context.out().printf("  %s failed: %s%n", name, failures.get(name));
			}
			if (connected != null) {
				connections.add(connected);
			}
			if (fanned != null) {
				fanouts.add(fanned);
			}
			summary.add(new Comparison.Server(name,
					fanned == null ? List.of() : fanned.steps().stream().map(Comparison.Point::of).toList(),
					connected == null ? null : Comparison.Connect.of(connected)));
		}
		List<Comparison.Ratio> ratios = Comparison.ratios(summary);
		context.out().println();
		ratios.forEach(r -> context.out().println(r.line()));
		return new CompareResult(servers, options.integer("subscribers"), options.integer("size"), summary, ratios,
				connections, fanouts, failures);
	}

	private static ConnectionsScenario.ConnectionsResult connections(BenchContext context, Target target, String where,
			String channel, ProcessStats server, boolean jvm, int n, double rate) {
		Options options = context.options();
		return ConnectionsScenario.measure(context, target, where, channel, server, jvm, n, rate,
				options.duration("hold"), Math.max(1, options.integer("sample-every")));
	}

}
