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

	public record Page(String name, String path, LatencySummary latency, long failed, double cpuMillisPerRequest,
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
						Long.toString(page.failed()), "%.2f".formatted(page.cpuMillisPerRequest())));
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
			double cpuBefore = processes.stream().mapToDouble(ProcessStats::cpuSeconds).sum();
			for (int i = 0; i < requests; i++) {
				long start = System.nanoTime();
				int status = gateway.get(0, page[1]).status();
				if (status != 200) {
					failed++;
					if (status != -1) {
						throw new IllegalStateException(page[1] + " answered " + status);
					}
					continue;
				}
				recorder.recordNanos(System.nanoTime() - start);
			}
			double cpu = processes.stream().mapToDouble(ProcessStats::cpuSeconds).sum() - cpuBefore;
			Histogram histogram = recorder.interval();
			pages.add(new Page(page[0], page[1], LatencySummary.of(histogram), failed, cpu * 1000 / requests, histogram));
			context.out().printf("  %-28s %s%n", page[0], LatencySummary.of(histogram));
		}
		return new HistoryResult(roomId, messages, written, requests, pages);
	}

}
