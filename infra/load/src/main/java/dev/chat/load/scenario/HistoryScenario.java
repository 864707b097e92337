package dev.chat.load.scenario;

import java.util.ArrayList;
import java.util.List;

import org.HdrHistogram.Histogram;

import dev.chat.load.Options;
import dev.chat.load.measure.LatencyRecorder;
import dev.chat.load.measure.LatencySummary;
import dev.chat.load.measure.ProcessStats;
import dev.chat.load.report.Chart;
import dev.chat.load.report.Result;
import dev.chat.load.report.Svg;
import dev.chat.load.report.Table;

/**
 * {@code history}: pages of a room of {@code --messages} through the gateway, one request after
 * the other: the first page (the newest 50) and a deep page ({@code beforeSeq=5000}).
 */
public final class HistoryScenario {

	private HistoryScenario() {
	}

	/**
	 * @param failures answers other than 200 by status (-1: no answer)
	 * @param cpuMillisPerRequest CPU of gateway, message-service and FerretDB per request, -1 when
	 *     one of them restarted meanwhile
	 */
	public record Page(String name, String path, LatencySummary latency, long failed,
			java.util.Map<Integer, Long> failures, double cpuMillisPerRequest,
			@com.fasterxml.jackson.annotation.JsonIgnore Histogram histogram) {
	}

	public record HistoryResult(String roomId, long messages, boolean written, int requests, List<Page> pages)
			implements Result {

		@Override
		public List<Table> tables() {
			List<List<String>> rows = new ArrayList<>();
			for (Page page : pages) {
				rows.add(List.of(page.name(), "%.2f".formatted(page.latency().p50()),
						"%.2f".formatted(page.latency().p99()), "%.2f".formatted(page.latency().max()),
						page.failed() + (page.failures().isEmpty() ? "" : " " + page.failures()),
						"%.2f".formatted(page.cpuMillisPerRequest())));
			}
			return List.of(new Table("history: room of %,d messages, %,d sequential requests per page via the gateway"
				.formatted(messages, requests), List.of("page", "p50 ms", "p99 ms", "max ms", "failed",
						"CPU ms/request (gateway+message-service+ferretdb)"), rows));
		}

		@Override
		public List<Chart> charts() {
			return List.of(new Chart("latency", Svg.percentiles("history page latency",
					pages.stream().map(Page::name).toList(), pages.stream().map(Page::histogram).toList())));
		}

	}

	public static HistoryResult run(BenchContext context) {
		Options options = context.options();
		long messages = options.integer("messages");
		int requests = options.integer("requests");
		String roomId = HistoryRoom.idFor(messages);
		context.out().printf("history: room %s of %,d messages%n", roomId, messages);
		long begin = System.nanoTime();
		boolean written = HistoryRoom.ensure(context.config().mongoUri("chat_messages"), roomId, messages,
				context.tokens().userId(0));
		if (written) {
			context.out().printf("  written in %.0f s%n", (System.nanoTime() - begin) / 1e9);
		}
		Gateway gateway = context.gateway();
		String messagesPath = "/api/rooms/" + roomId + "/messages";
		List<String[]> cases = List.of(new String[] { "first page (50 newest)", messagesPath },
				new String[] { "deep page (beforeSeq=5000)", messagesPath + "?beforeSeq=5000" });
		for (int i = 0; i < options.integer("warm-up"); i++) {
			for (String[] page : cases) {
				gateway.get(0, page[1]);
			}
		}
		List<ProcessStats> processes = new ArrayList<>();
		for (String component : List.of("gateway", "message-service", "ferretdb")) {
			ProcessStats process = context.process(component);
			if (process != null) {
				processes.add(process);
			}
		}
		List<Page> pages = new ArrayList<>();
		for (String[] page : cases) {
			LatencyRecorder recorder = new LatencyRecorder();
			long failed = 0;
			java.util.Map<Integer, Long> failures = new java.util.TreeMap<>();
			double[] cpuBefore = processes.stream().mapToDouble(ProcessStats::cpuSeconds).toArray();
			for (int i = 0; i < requests; i++) {
				long start = System.nanoTime();
				int status = gateway.get(0, page[1]).status();
				if (status != 200) {
					// Counted, not timed (a shared stack restarts a service now and then).
					failed++;
					failures.merge(status, 1L, Long::sum);
					continue;
				}
				recorder.recordNanos(System.nanoTime() - start);
			}
			double cpu = 0;
			for (int p = 0; p < processes.size(); p++) {
				double after = processes.get(p).cpuSeconds();
				cpu = cpu < 0 || after < cpuBefore[p] || cpuBefore[p] < 0 ? -1 : cpu + after - cpuBefore[p];
			}
			Histogram histogram = recorder.interval();
			pages.add(new Page(page[0], page[1], LatencySummary.of(histogram), failed, failures,
					cpu < 0 ? -1 : cpu * 1000 / requests, histogram));
			context.out().printf("  %-28s %s%n", page[0], LatencySummary.of(histogram));
		}
		return new HistoryResult(roomId, messages, written, requests, pages);
	}

}
