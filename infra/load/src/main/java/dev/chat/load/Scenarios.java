package dev.chat.load;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import dev.chat.load.report.Result;
import dev.chat.load.scenario.BenchContext;
import dev.chat.load.scenario.CompareScenario;
import dev.chat.load.scenario.ConnectionsScenario;
import dev.chat.load.scenario.FanoutScenario;
import dev.chat.load.scenario.HistoryScenario;
import dev.chat.load.scenario.NodeFailoverScenario;
import dev.chat.load.scenario.ReconnectStormScenario;
import dev.chat.load.scenario.RoomsScenario;

/**
 * The scenarios by name, each with its options' defaults (the report lists them all) and the
 * sizes {@code --smoke} shrinks it to.
 */
final class Scenarios {

	/** Options every scenario takes. */
	private static final Map<String, String> COMMON = ordered("users", "200", "io-threads", "2", "pin", "false",
			"smoke", "false", "late", "1s", "grace", "5s", "size", "100", "connect-rate", "1000");

	record Scenario(String name, String summary, Map<String, String> defaults, Map<String, String> smoke,
			Function<BenchContext, Result> run) {
	}

	static final Map<String, Scenario> ALL = new LinkedHashMap<>();

	static {
		add(new Scenario("connections", "N idle subscribed sockets on one gateway node: memory and CPU per connection",
				ordered("n", "20000", "rate", "1000", "hold", "20s", "sample-every", "1000"),
				ordered("n", "50", "rate", "100", "hold", "1s", "sample-every", "10"), ConnectionsScenario::run));
		add(new Scenario("fanout", "one room, many subscribers, one sender stepping through rates",
				ordered("subscribers", "1000", "rates", "25,50,100,200,400", "step", "20s", "mode", "kafka", "warm-up",
						"10s"),
				ordered("subscribers", "20", "rates", "20", "step", "3s", "warm-up", "0s"), FanoutScenario::run));
		add(new Scenario("rooms", "many small rooms over two gateway nodes, every member sending now and then",
				ordered("rooms", "5000", "members", "10", "rate", "200", "duration", "30s"),
				ordered("rooms", "10", "members", "5", "rate", "20", "duration", "3s"), RoomsScenario::run));
		add(new Scenario("history", "first and deep history page of a room of a million messages",
				ordered("messages", "1000000", "requests", "1000", "warm-up", "100"),
				ordered("messages", "2000", "requests", "50", "warm-up", "10"), HistoryScenario::run));
		add(new Scenario("reconnect-storm", "all subscribers drop and reconnect at once with sinceSeq",
				ordered("clients", "5000", "rate", "50", "before", "5s", "down", "2s", "recover-timeout", "60s",
						"after", "3s"),
				ordered("clients", "50", "rate", "20", "before", "2s", "down", "1s", "recover-timeout", "20s", "after",
						"1s"),
				ReconnectStormScenario::run));
		add(new Scenario("node-failover",
				"a gateway node killed (or stopped) under its clients: they reconnect through nginx with sinceSeq",
				ordered("node", "1", "signal", "KILL", "clients", "1000", "watchers", "100", "rate", "10", "before",
						"5s", "recover-timeout", "60s", "after", "3s", "grace", "15s"),
				ordered("clients", "50", "watchers", "10", "before", "2s", "after", "1s", "grace", "10s"),
				NodeFailoverScenario::run));
		add(new Scenario("compare",
				"connections and fanout (kafka mode) on our gateway, then on Centrifugo and Socket.IO, side by side",
				ordered("servers", "chat,centrifugo,socketio", "connections", "10000", "hold", "10s", "sample-every",
						"1000", "subscribers", "1000", "rates", "25,50,100,200,400", "step", "20s", "warm-up", "10s",
						"pin", "true"),
				ordered("connections", "50", "connect-rate", "100", "hold", "1s", "sample-every", "10", "subscribers",
						"20", "rates", "20,50", "step", "2s", "warm-up", "0s"),
				CompareScenario::run));
	}

	private Scenarios() {
	}

	private static void add(Scenario scenario) {
		Map<String, String> defaults = new LinkedHashMap<>(scenario.defaults());
		COMMON.forEach(defaults::putIfAbsent);
		ALL.put(scenario.name(), new Scenario(scenario.name(), scenario.summary(), defaults, scenario.smoke(),
				scenario.run()));
	}

	static Map<String, String> smoke(String scenario) {
		Scenario known = ALL.get(scenario);
		Map<String, String> smoke = new LinkedHashMap<>(known == null ? Map.of() : known.smoke());
		smoke.putIfAbsent("users", "20");
		smoke.putIfAbsent("grace", "3s");
		return smoke;
	}

	private static Map<String, String> ordered(String... pairs) {
		Map<String, String> map = new LinkedHashMap<>();
		for (int i = 0; i < pairs.length; i += 2) {
			map.put(pairs[i], pairs[i + 1]);
		}
		return map;
	}

	static String usage() {
		StringBuilder out = new StringBuilder("usage: ./chat bench SCENARIO [--key=value ...]\n\nscenarios:\n");
		ALL.values().forEach(s -> {
			out.append("  %-16s %s%n".formatted(s.name(), s.summary()));
			StringBuilder options = new StringBuilder();
			s.defaults().forEach((key, value) -> {
				if (!COMMON.containsKey(key)) {
					options.append(" --").append(key).append('=').append(value);
				}
			});
			out.append("  %-16s%s%n".formatted("", options));
		});
		out.append("\noptions of every scenario:");
		COMMON.forEach((key, value) -> out.append(" --").append(key).append('=').append(value));
		out.append("\n  --smoke shrinks the sizes for CI; --pin pins the gateway to CPU 0 and the generator to CPU 1;\n")
			.append("  durations take s, ms, m; fanout --mode is kafka (gateway alone) or full (send path, with\n")
			.append("  where the time goes: send→ack, ack→stored, stored→delivered).\n")
			.append("  compare pins by default (--pin=false to leave the CPUs alone); --servers picks chat,centrifugo,socketio.\n")
			.append("CHAT_STACK=test or CHAT_PORT_OFFSET pick the stack; results go to <state dir>/bench/.\n");
		return out.toString();
	}

}
