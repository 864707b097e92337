package dev.chat.load.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.HdrHistogram.Histogram;

import dev.chat.load.Options;
import dev.chat.load.measure.DeliveryCounter;
import dev.chat.load.measure.Body;
import dev.chat.load.measure.DeliveryRecorder;
import dev.chat.load.measure.HopLog;
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
import dev.chat.load.target.SentAtDeliveries;
import dev.chat.load.target.Target;

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
	 * @param hops where the time went on the full path (full mode only, else null)
	 */
	public record StepResult(double offeredPerSecond, double achievedPerSecond, double deliveredPerSecond,
			OpenLoopSchedule.Progress schedule, LatencySummary latency, LatencySummary latencyFromSend,
			DeliveryCounter.Counts counts, double gatewayCpuPercent, double deliveriesPerCpuSecond,
			double generatorCpuPercent, boolean holds, HopLog.Breakdown hops,
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
			return java.util.Arrays.asList(new Table(
					"fanout (%s mode): %,d of %,d subscribers on %s%s, %d sender connection(s), %d-byte bodies, %.0f s warm-up"
						.formatted(mode, opened, subscribers, target, failures.isEmpty() ? "" : " (failed: " + failures + ")",
								senders, size, warmUpSeconds),
					List.of("msg/s offered", "msg/s achieved", "deliveries/s", "p50 ms", "p90 ms", "p99 ms",
							"p99.9 ms", "max ms", "p99 from send", "lost", "dup", "late", "sends behind", "gw CPU %",
							"deliveries/CPU-s", "bench CPU %", "holds"),
					rows), hopTable(steps)).stream().filter(java.util.Objects::nonNull).toList();
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

	/**
	 * The "where the time goes" table of a full-mode run: per step, p50 and p99 of each hop (see
	 * {@link HopLog}), over the designated subscriber's deliveries; null when no step has hops.
	 */
	static Table hopTable(List<StepResult> steps) {
		List<List<String>> rows = new ArrayList<>();
		for (StepResult s : steps) {
			HopLog.Breakdown b = s.hops();
			if (b == null) {
				continue;
			}
			rows.add(List.of("%.0f".formatted(s.offeredPerSecond()), Long.toString(b.samples()),
					"%.2f / %.2f".formatted(b.sendToAck().p50(), b.sendToAck().p99()),
					"%.2f / %.2f".formatted(b.ackToStored().p50(), b.ackToStored().p99()),
					"%.2f / %.2f".formatted(b.storedToDelivered().p50(), b.storedToDelivered().p99()),
					"%.2f / %.2f".formatted(b.sendToDelivered().p50(), b.sendToDelivered().p99()),
					Long.toString(b.negative())));
		}
		if (rows.isEmpty()) {
			return null;
		}
		return new Table("where the time goes (one subscriber's deliveries; ms, p50 / p99)",
				List.of("msg/s", "messages", "send→ack (gateway + Kafka write)",
						"ack→stored (message-service consume + store)",
						"stored→delivered (publish, Kafka, gateway fan-out, socket)", "send→delivered",
						"hops < 0 (ms clock)"),
				rows);
	}

	public static FanoutResult run(BenchContext context) {
		Options options = context.options();
		String mode = options.string("mode");
		if (!mode.equals("kafka") && !mode.equals("full")) {
			throw new IllegalArgumentException("--mode is kafka or full, was " + mode);
		}
		int maxRate = options.integers("rates").stream().mapToInt(Integer::intValue).max().orElse(1);
		RoomSetup.Room room = context.everyoneRoom(mode.equals("kafka") ? "kafka" : "all");
		int senderCount = mode.equals("full") ? Sender.Through.needed(maxRate) : 0;
		try (ChatTarget target = context.chatTarget(List.of(context.config().ports().gateway()))) {
			return measure(context, target, ":" + context.config().ports().gateway(), room.id(), mode,
					context.process("gateway"), senderCount, mode.equals("full"), (crowd, senders) -> {
						if (senders == null) {
							return new Sender.ToKafka(context.config().kafkaBootstrap(), room.id(),
									context.tokens().userId(0), head(crowd));
						}
						return new Sender.Through(openOf(senders), room.id());
					});
		}
	}

	/**
	 * Where a fan-out run's messages come from, made once every connection is open: from the
	 * subscribers' crowd (our kafka mode needs the room's head seq) and the publishers' (null when
	 * the run has no publisher connection).
	 */
	@FunctionalInterface
	interface Publisher {

		Sender open(Crowd subscribers, Crowd publishers);

	}

	/** The room's head as the subscribers saw it when subscribing. */
	static long head(Crowd crowd) {
		long head = 0;
		for (int i = 0; i < crowd.size(); i++) {
			if (crowd.get(i) instanceof ChatConnection chat) {
				head = Math.max(head, chat.subscribedSeq());
			}
		}
		return head;
	}

	/**
	 * The fan-out measurement against any {@link Target}: {@code --subscribers} connections on
	 * {@code channel}, {@code publisherConnections} more (client numbers after the subscribers,
	 * themselves subscribed, their deliveries not counted) for the {@code publisher}, then the
	 * warm-up and one step per rate of {@code --rates}. {@code server} is the server's process
	 * (its CPU per step), null when unknown. With {@code hops}, subscriber 0 reads each frame's
	 * {@code sentAt} and the steps carry the full path's breakdown (our gateway's frames only).
	 */
	static FanoutResult measure(BenchContext context, Target target, String where, String channel, String mode,
			ProcessStats server, int publisherConnections, boolean hops, Publisher publisher) {
		Options options = context.options();
		int subscribers = options.integer("subscribers");
		List<Integer> rates = options.integers("rates");
		double stepSeconds = options.duration("step").toMillis() / 1000.0;
		int size = options.integer("size");
		long grace = options.duration("grace").toNanos();
		long late = options.duration("late").toNanos();
		// Step 0 is the warm-up (the first rate, for --warm-up), measured but not reported: the
		// server's JIT compiles the fan-out path during it.
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
		SendLog sends = new SendLog(total);
		HopLog hopLog = hops ? new HopLog(total) : null;
		DeliveryRecorder recorder = new DeliveryRecorder(context.runId(), sends, subscribers, late, starts);
		context.out().printf("fanout (%s): %,d subscribers on %s %s, steps %s msg/s of %s each%n", mode, subscribers,
				target.name(), where, rates, options.string("step"));
		String runId = context.runId();
		Crowd crowd = Crowd.open(target, 0, subscribers, options.decimal("connect-rate"), i -> channel,
				i -> hopLog != null && i == 0 ? (SentAtDeliveries) (connection, body, at, sentAt) -> {
					recorder.delivered(0, body, at);
					Body parsed = Body.parse(body, runId);
					if (parsed != null) {
						hopLog.delivered(parsed.msgNo(), at, sentAt);
					}
				} : (connection, body, at) -> recorder.delivered(i, body, at));
		Crowd senders = publisherConnections == 0 ? null
				: Crowd.open(target, subscribers, publisherConnections, 50, i -> channel, i -> (connection, body, at) -> {
				});
		crowd.await(Duration.ofSeconds(120), () -> {
		});
		if (senders != null) {
			senders.await(Duration.ofSeconds(60), () -> {
			});
		}
		context.out().printf("  %,d subscribed, %,d failed %s%n", crowd.opened(), crowd.failed(), crowd.reasons());
		List<StepResult> steps = new ArrayList<>();
		try (Sender sender = publisher.open(crowd, senders)) {
			ProcessStats self = new ProcessStats(ProcessHandle.current().pid());
			for (int s = 0; s < stepRates.size(); s++) {
				if (sender instanceof Sender.Through through) {
					through.active(Sender.Through.needed(stepRates.get(s)));
				}
				double cpuBefore = server == null ? -1 : server.cpuSeconds();
				double selfBefore = self.cpuSeconds();
				Step.Measured measured = Step.run(runId, sender, sends, hopLog, recorder, s, starts[s],
						stepRates.get(s), stepLengths.get(s), size, grace, c -> crowd.get(c) != null);
				double cpu = server == null ? -1 : server.cpuSeconds() - cpuBefore;
				double selfCpu = self.cpuSeconds() - selfBefore;
				if (warmUp > 0 && s == 0) {
					context.out().printf("  warm-up: %s%n", measured.latency());
					continue;
				}
				HopLog.Breakdown breakdown = hopLog == null ? null
						: hopLog.breakdown(starts[s], OpenLoopSchedule.count(stepRates.get(s), stepLengths.get(s)));
				StepResult step = new StepResult(stepRates.get(s), measured.accepted() / stepLengths.get(s),
						measured.deliveredPerSecond(), measured.schedule(), measured.latency(),
						measured.latencyFromSend(), measured.counts(),
						cpu < 0 ? -1 : cpu * 100 / measured.wallSeconds(),
						cpu <= 0 ? -1 : measured.counts().received() / cpu,
						selfCpu * 100 / measured.wallSeconds(), measured.latency().p99() < HOLD_P99_MILLIS
								&& measured.counts().lost() == 0 && measured.counts().expected() > 0,
						breakdown, measured.fromSchedule());
				context.out().printf("  %4d msg/s: %s, lost %d, dup %d, server CPU %.0f%%%n", stepRates.get(s),
						step.latency(), step.counts().lost(), step.counts().duplicated(), step.gatewayCpuPercent());
				steps.add(step);
			}
			Map<String, Long> refusals = sender.refusals();
			crowd.closeAll(Duration.ofSeconds(30));
			if (senders != null) {
				senders.closeAll(Duration.ofSeconds(10));
			}
			return new FanoutResult(target.name(), mode, subscribers, crowd.opened(), crowd.reasons(),
					publisherConnections, size, warmUp, steps, refusals, recorder.foreign(),
					target instanceof ChatTarget chat ? chat.tokenExpiries() : 0);
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
