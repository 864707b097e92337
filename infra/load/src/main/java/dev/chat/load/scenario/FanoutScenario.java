package dev.chat.load.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.HdrHistogram.Histogram;

import dev.chat.load.Options;
import dev.chat.load.measure.DeliveryCounter;
import dev.chat.load.measure.DeliveryRecorder;
import dev.chat.load.measure.LatencySummary;
import dev.chat.load.measure.OpenLoopSchedule;
import dev.chat.load.measure.ProcessStats;
import dev.chat.load.measure.SendLog;
import dev.chat.load.report.Chart;
import dev.chat.load.report.Result;
import dev.chat.load.report.Svg;
import dev.chat.load.report.Table;
import dev.chat.load.target.ChatConnection;
import dev.chat.load.target.ChatTarget;
import dev.chat.load.target.Connection;

/**
 * {@code fanout}: one room, many subscribers on one gateway node, one sender stepping through
 * fixed rates. {@code --mode=kafka} produces the events straight to {@code chat.messages}, so only
 * the gateway's fan-out is measured; {@code --mode=full} sends through a socket, message-service
 * and the store. A step holds when p99 stays under 100 ms and nothing is lost.
 */
public final class FanoutScenario {

	static final double HOLD_P99_MILLIS = 100;

	private FanoutScenario() {
	}

	/**
	 * @param gatewayCpuPercent the gateway's CPU over the step's wall time (100 = one core)
	 * @param deliveriesPerCpuSecond deliveries per second of gateway CPU
	 * @param generatorCpuPercent this generator's own CPU: near 100 per I/O thread, the client is
	 *     the bottleneck and the step says nothing about the gateway
	 */
	public record StepResult(double offeredPerSecond, double achievedPerSecond, double deliveredPerSecond,
			OpenLoopSchedule.Progress schedule, LatencySummary latency, LatencySummary latencyFromSend,
			DeliveryCounter.Counts counts, double gatewayCpuPercent, double deliveriesPerCpuSecond,
			double generatorCpuPercent, boolean holds,
			@com.fasterxml.jackson.annotation.JsonIgnore Histogram histogram) {
	}

	public record FanoutResult(String target, String mode, int subscribers, int opened, Map<String, Long> failures,
			int senders, int size, double warmUpSeconds, List<StepResult> steps, Map<String, Long> refusals, long foreign, long tokenExpiries) implements Result {

		public long lost() {
			return steps.stream().mapToLong(s -> s.counts().lost()).sum();
		}

		public long duplicated() {
			return steps.stream().mapToLong(s -> s.counts().duplicated()).sum();
		}

		@Override
		public List<Table> tables() {
			List<List<String>> rows = new ArrayList<>();
			for (StepResult s : steps) {
				rows.add(List.of("%.0f".formatted(s.offeredPerSecond()), "%.1f".formatted(s.achievedPerSecond()),
						"%,.0f".formatted(s.deliveredPerSecond()), "%.2f".formatted(s.latency().p50()),
						"%.2f".formatted(s.latency().p90()), "%.2f".formatted(s.latency().p99()),
						"%.2f".formatted(s.latency().p999()), "%.2f".formatted(s.latency().max()),
						"%.2f".formatted(s.latencyFromSend().p99()), Long.toString(s.counts().lost()),
						Long.toString(s.counts().duplicated()), Long.toString(s.counts().late()),
						Long.toString(s.schedule().behind()), "%.0f".formatted(s.gatewayCpuPercent()),
						"%,.0f".formatted(s.deliveriesPerCpuSecond()), "%.0f".formatted(s.generatorCpuPercent()),
						s.holds() ? "yes" : "no"));
			}
			return List.of(new Table(
					"fanout (%s mode): %,d of %,d subscribers on %s%s, %d sender connection(s), %d-byte bodies, %.0f s warm-up"
						.formatted(mode, opened, subscribers, target, failures.isEmpty() ? "" : " (failed: " + failures + ")",
								senders, size, warmUpSeconds),
					List.of("msg/s offered", "msg/s achieved", "deliveries/s", "p50 ms", "p90 ms", "p99 ms",
							"p99.9 ms", "max ms", "p99 from send", "lost", "dup", "late", "sends behind", "gw CPU %",
							"deliveries/CPU-s", "bench CPU %", "holds"),
					rows));
		}

		@Override
		public List<Chart> charts() {
			List<double[]> delivered = new ArrayList<>();
			List<double[]> p99 = new ArrayList<>();
			for (StepResult s : steps) {
				delivered.add(new double[] { s.offeredPerSecond(), s.deliveredPerSecond() });
				p99.add(new double[] { s.offeredPerSecond(), s.latency().p99() });
			}
			return List.of(
					new Chart("deliveries", Svg.lines("deliveries/s by send rate (%,d subscribers)".formatted(opened),
							"messages/s sent", "deliveries/s", List.of(new Svg.Series("delivered", delivered)))),
					new Chart("p99", Svg.lines("p99 by send rate", "messages/s sent", "p99 ms",
							List.of(new Svg.Series("p99", p99)))),
					new Chart("latency", Svg.percentiles("delivery latency per step",
							steps.stream().map(s -> "%.0f msg/s".formatted(s.offeredPerSecond())).toList(),
							steps.stream().map(StepResult::histogram).toList())));
		}

	}

	public static FanoutResult run(BenchContext context) {
		Options options = context.options();
		String mode = options.string("mode");
		if (!mode.equals("kafka") && !mode.equals("full")) {
			throw new IllegalArgumentException("--mode is kafka or full, was " + mode);
		}
		int subscribers = options.integer("subscribers");
		List<Integer> rates = options.integers("rates");
		double stepSeconds = options.duration("step").toMillis() / 1000.0;
		int size = options.integer("size");
		long grace = options.duration("grace").toNanos();
		long late = options.duration("late").toNanos();
		int maxRate = rates.stream().mapToInt(Integer::intValue).max().orElse(1);
		// Step 0 is the warm-up (the first rate, for --warm-up), measured but not reported: the
		// gateway's JIT compiles the fan-out path during it.
		double warmUp = options.duration("warm-up").toMillis() / 1000.0;
		List<Integer> stepRates = new ArrayList<>();
		List<Double> stepLengths = new ArrayList<>();
		if (warmUp > 0) {
			stepRates.add(rates.get(0));
			stepLengths.add(warmUp);
		}
		for (int rate : rates) {
			stepRates.add(rate);
			stepLengths.add(stepSeconds);
		}
		int[] starts = new int[stepRates.size()];
		int total = 0;
		for (int s = 0; s < stepRates.size(); s++) {
			starts[s] = total;
			total += OpenLoopSchedule.count(stepRates.get(s), stepLengths.get(s));
		}
		RoomSetup.Room room = context.everyoneRoom(mode.equals("kafka") ? "kafka" : "all");
		SendLog sends = new SendLog(total);
		DeliveryRecorder recorder = new DeliveryRecorder(context.runId(), sends, subscribers, late, starts);
		ProcessStats gateway = context.process("gateway");
		int senderCount = mode.equals("full") ? Sender.Through.needed(maxRate) : 0;
		context.out().printf("fanout (%s): %,d subscribers on :%d, steps %s msg/s of %s each%n", mode, subscribers,
				context.config().ports().gateway(), rates, options.string("step"));
		try (ChatTarget target = context.chatTarget(List.of(context.config().ports().gateway()))) {
			Crowd crowd = Crowd.open(target, 0, subscribers, options.decimal("connect-rate"), i -> room.id(),
					i -> (connection, body, at) -> recorder.delivered(i, body, at));
			Crowd senders = senderCount == 0 ? null : Crowd.open(target, subscribers, senderCount, 50, i -> room.id(),
					i -> (connection, body, at) -> {
					});
			crowd.await(Duration.ofSeconds(120), () -> {
			});
			if (senders != null) {
				senders.await(Duration.ofSeconds(60), () -> {
				});
			}
			context.out().printf("  %,d subscribed, %,d failed %s%n", crowd.opened(), crowd.failed(), crowd.reasons());
			long head = 0;
			for (int i = 0; i < subscribers; i++) {
				if (crowd.get(i) instanceof ChatConnection chat) {
					head = Math.max(head, chat.subscribedSeq());
				}
			}
			List<StepResult> steps = new ArrayList<>();
			try (Sender sender = senders == null
					? new Sender.ToKafka(context.config().kafkaBootstrap(), room.id(), context.tokens().userId(0), head)
					: new Sender.Through(openOf(senders), room.id())) {
				ProcessStats self = new ProcessStats(ProcessHandle.current().pid());
				for (int s = 0; s < stepRates.size(); s++) {
					if (sender instanceof Sender.Through through) {
						through.active(Sender.Through.needed(stepRates.get(s)));
					}
					double cpuBefore = gateway == null ? -1 : gateway.cpuSeconds();
					double selfBefore = self.cpuSeconds();
					Step.Measured measured = Step.run(context.runId(), sender, sends, recorder, s, starts[s],
							stepRates.get(s), stepLengths.get(s), size, grace, c -> crowd.get(c) != null);
					double cpu = gateway == null ? -1 : gateway.cpuSeconds() - cpuBefore;
					double selfCpu = self.cpuSeconds() - selfBefore;
					if (warmUp > 0 && s == 0) {
						context.out().printf("  warm-up: %s%n", measured.latency());
						continue;
					}
					StepResult step = new StepResult(stepRates.get(s), measured.accepted() / stepLengths.get(s),
							measured.deliveredPerSecond(), measured.schedule(), measured.latency(),
							measured.latencyFromSend(), measured.counts(),
							cpu < 0 ? -1 : cpu * 100 / measured.wallSeconds(),
							cpu <= 0 ? -1 : measured.counts().received() / cpu,
							selfCpu * 100 / measured.wallSeconds(), measured.latency().p99() < HOLD_P99_MILLIS && measured.counts().lost() == 0
									&& measured.counts().expected() > 0,
							measured.fromSchedule());
					context.out().printf("  %4d msg/s: %s, lost %d, dup %d, gateway CPU %.0f%%%n", stepRates.get(s),
							step.latency(), step.counts().lost(), step.counts().duplicated(), step.gatewayCpuPercent());
					steps.add(step);
				}
				Map<String, Long> refusals = sender.refusals();
				crowd.closeAll(Duration.ofSeconds(30));
				if (senders != null) {
					senders.closeAll(Duration.ofSeconds(10));
				}
				return new FanoutResult(target.name(), mode, subscribers, crowd.opened(), crowd.reasons(), senderCount,
						size, warmUp, steps,
						refusals, recorder.foreign(), target.tokenExpiries());
			}
		}
	}

	static List<Connection> openOf(Crowd crowd) {
		List<Connection> open = new ArrayList<>();
		for (int i = 0; i < crowd.size(); i++) {
			if (crowd.get(i) != null) {
				open.add(crowd.get(i));
			}
		}
		if (open.isEmpty()) {
			throw new IllegalStateException("no sender connection opened: " + crowd.reasons());
		}
		return open;
	}

}
