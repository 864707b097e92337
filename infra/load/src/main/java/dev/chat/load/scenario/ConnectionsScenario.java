package dev.chat.load.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;

import dev.chat.load.Options;
import dev.chat.load.measure.LatencySummary;
import dev.chat.load.measure.OpenLoopSchedule;
import dev.chat.load.measure.ProcessStats;
import dev.chat.load.report.Chart;
import dev.chat.load.report.Result;
import dev.chat.load.report.Svg;
import dev.chat.load.report.Table;
import dev.chat.load.target.Target;

/**
 * {@code connections}: N idle, authenticated, subscribed sockets on one gateway node, opened at a
 * fixed rate, then held. What one connection costs the gateway: memory (RSS and heap, before and
 * after) and CPU to open it, sampled every thousand connections so the growth curve shows.
 */
public final class ConnectionsScenario {

	private ConnectionsScenario() {
	}

	/** One sample taken as the count of open connections passed a multiple of the sample step. */
	public record Sample(int connections, long rssBytes, double cpuSeconds) {
	}

	/**
	 * @param cpuPerConnectionFirstMillis gateway CPU per connection over the first sample step
	 * @param cpuPerConnectionLastMillis over the last sample step
	 * @param closedDuringHold connections the server closed while they were held
	 */
	public record ConnectionsResult(String target, int requested, int opened, long failed, Map<String, Long> failures,
			LatencySummary fromSchedule, LatencySummary fromStart, OpenLoopSchedule.Progress schedule,
			long rssBefore, long rssAfter, long rssPerConnection, long heapBefore, long heapAfter, long heapPerConnection,
			double cpuSeconds, double cpuPerConnectionMillis, double cpuPerConnectionFirstMillis,
			double cpuPerConnectionLastMillis, long closedDuringHold, long generatorHeapPerConnection, List<Sample> samples,
			@com.fasterxml.jackson.annotation.JsonIgnore Histogram latency) implements Result {

		@Override
		public List<Table> tables() {
			return List.of(new Table("connections: %,d requested on %s".formatted(requested, target),
					List.of("what", "value"),
					List.of(List.of("opened / failed", "%,d / %,d".formatted(opened, failed)),
							List.of("failures", failures.isEmpty() ? "none" : failures.toString()),
							List.of("handshake+subscribe (from schedule)", fromSchedule.toString()),
							List.of("handshake+subscribe (from start)", fromStart.toString()),
							List.of("connect schedule", "%,d behind, max lag %.1f ms".formatted(schedule.behind(),
									schedule.maxLagMillis())),
							List.of("gateway RSS before / after", mb(rssBefore) + " / " + mb(rssAfter)),
							List.of("RSS per connection", kb(rssPerConnection)),
							List.of("gateway heap used before / after", mb(heapBefore) + " / " + mb(heapAfter)),
							List.of("heap per connection", kb(heapPerConnection)),
							List.of("gateway CPU per connection (all / first / last step)",
									"%.3f / %.3f / %.3f ms".formatted(cpuPerConnectionMillis,
											cpuPerConnectionFirstMillis, cpuPerConnectionLastMillis)),
							List.of("closed by the server during the hold", Long.toString(closedDuringHold)),
							List.of("generator heap per connection", kb(generatorHeapPerConnection)))));
		}

		@Override
		public List<Chart> charts() {
			List<double[]> rss = new ArrayList<>();
			List<double[]> cpu = new ArrayList<>();
			for (int i = 1; i < samples.size(); i++) {
				Sample s = samples.get(i);
				if (s.connections() > 0) {
					rss.add(new double[] { s.connections(), (s.rssBytes() - rssBefore) / 1024.0 / s.connections() });
				}
				Sample previous = samples.get(i - 1);
				int step = s.connections() - previous.connections();
				if (step > 0) {
					cpu.add(new double[] { s.connections(), (s.cpuSeconds() - previous.cpuSeconds()) * 1000 / step });
				}
			}
			return List.of(
					new Chart("memory", Svg.lines("gateway RSS growth per connection", "open connections",
							"KiB per connection", List.of(new Svg.Series("RSS", rss)))),
					new Chart("cpu", Svg.lines("gateway CPU per connection opened", "open connections",
							"CPU ms per connection", List.of(new Svg.Series("CPU", cpu)))),
					new Chart("latency", Svg.percentiles("handshake + subscribe", List.of("from schedule"),
							List.of(latency))));
		}

	}

	public static ConnectionsResult run(BenchContext context) {
		Options options = context.options();
		ProcessStats gateway = context.process("gateway");
		RoomSetup.Room room = context.everyoneRoom("all");
		try (Target target = context.chatTarget(List.of(context.config().ports().gateway()))) {
			return measure(context, target, ":" + context.config().ports().gateway(), room.id(), gateway, true,
					options.integer("n"), options.decimal("rate"), options.duration("hold"),
					options.integer("sample-every"));
		}
	}

	/**
	 * The measurement against any {@link Target}: {@code n} connections on {@code channel} at
	 * {@code rate} per second, held for {@code hold}, the server's process ({@code server}, null
	 * when unknown) sampled every {@code sampleEvery}; its heap only when it is a JVM ({@code jvm}).
	 */
	static ConnectionsResult measure(BenchContext context, Target target, String where, String channel,
			ProcessStats server, boolean jvm, int n, double rate, Duration hold, int sampleEvery) {
		ProcessStats gateway = server;
		context.out().printf("connections: opening %,d at %.0f/s on %s %s, then holding %.1f s%n", n, rate,
				target.name(), where, hold.toMillis() / 1000.0);
		// Heap first: its full GC may return memory to the OS, and RSS is read after it both times.
		long heapBefore = gateway == null || !jvm ? -1 : gateway.heapUsedBytes();
		long rssBefore = gateway == null ? -1 : gateway.rssBytes();
		double cpuBefore = gateway == null ? -1 : gateway.cpuSeconds();
		List<Sample> samples = new ArrayList<>();
		samples.add(new Sample(0, rssBefore, cpuBefore));
		long selfBefore = liveHeap();
		{
			Crowd crowd = Crowd.open(target, 0, n, rate, i -> channel, i -> (c, body, at) -> {
			});
			crowd.await(Duration.ofSeconds(60).plus(Duration.ofMillis((long) (n * 1000 / rate))),
					() -> {
						int next = samples.get(samples.size() - 1).connections() + sampleEvery;
						if (gateway != null && (crowd.opened() >= next || (crowd.done() && crowd.opened() > samples
							.get(samples.size() - 1).connections()))) {
							samples.add(new Sample(crowd.opened(), gateway.rssBytes(), gateway.cpuSeconds()));
						}
					});
			double cpuOpened = gateway == null ? -1 : gateway.cpuSeconds();
			context.out().printf("  %,d open, %,d failed; holding%n", crowd.opened(), crowd.failed());
			java.util.concurrent.atomic.LongAdder closedByServer = new java.util.concurrent.atomic.LongAdder();
			for (int i = 0; i < n; i++) {
				var connection = crowd.get(i);
				if (connection != null) {
					connection.onClose().subscribe(null, null, closedByServer::increment);
				}
			}
			long holdEnd = System.nanoTime() + hold.toNanos();
			while (System.nanoTime() < holdEnd) {
				LockSupport.parkNanos(100_000_000);
			}
			long closed = closedByServer.sum();
			long selfAfter = liveHeap();
			long heapAfter = gateway == null || !jvm ? -1 : gateway.heapUsedBytes();
			long rssAfter = gateway == null ? -1 : gateway.rssBytes();
			crowd.closeAll(Duration.ofSeconds(30));
			int opened = Math.max(1, crowd.opened());
			double first = perConnection(samples, 1);
			double last = perConnection(samples, samples.size() - 1);
			Histogram latency = crowd.fromSchedule.interval();
			return new ConnectionsResult(target.name(), n, crowd.opened(), crowd.failed(), crowd.reasons(),
					LatencySummary.of(latency), LatencySummary.of(crowd.fromStart.interval()), crowd.progress(),
					rssBefore, rssAfter, (rssAfter - rssBefore) / opened, heapBefore, heapAfter,
					heapBefore < 0 || heapAfter < 0 ? -1 : (heapAfter - heapBefore) / opened, cpuOpened - cpuBefore,
					(cpuOpened - cpuBefore) * 1000 / opened, first, last, closed, (selfAfter - selfBefore) / opened,
					samples, latency);
		}
	}

	/** This generator's live heap: what 20,000 connections cost the client side. */
	private static long liveHeap() {
		System.gc();
		Runtime runtime = Runtime.getRuntime();
		return runtime.totalMemory() - runtime.freeMemory();
	}

	private static double perConnection(List<Sample> samples, int index) {
		if (index < 1 || index >= samples.size()) {
			return -1;
		}
		Sample s = samples.get(index);
		Sample previous = samples.get(index - 1);
		int step = s.connections() - previous.connections();
		return step <= 0 ? -1 : (s.cpuSeconds() - previous.cpuSeconds()) * 1000 / step;
	}

	static String mb(long bytes) {
		return bytes < 0 ? "n/a" : "%.1f MiB".formatted(bytes / 1048576.0);
	}

	static String kb(long bytes) {
		return bytes < 0 ? "n/a" : "%.1f KiB".formatted(bytes / 1024.0);
	}

}
