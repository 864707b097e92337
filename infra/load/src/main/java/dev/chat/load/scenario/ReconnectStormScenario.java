package dev.chat.load.scenario;

import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import dev.chat.load.Options;
import dev.chat.load.measure.Body;
import dev.chat.load.measure.DeliveryCounter;
import dev.chat.load.measure.DeliveryRecorder;
import dev.chat.load.measure.LatencyRecorder;
import dev.chat.load.measure.LatencySummary;
import dev.chat.load.measure.OpenLoopSchedule;
import dev.chat.load.measure.SendLog;
import dev.chat.load.report.Chart;
import dev.chat.load.report.Result;
import dev.chat.load.report.Svg;
import dev.chat.load.report.Table;
import dev.chat.load.target.ChatConnection;
import dev.chat.load.target.ChatTarget;

/**
 * {@code reconnect-storm}: many subscribers of one room while messages flow; all of them drop
 * their sockets at once (client side), then all reconnect at once, each resuming with
 * {@code sinceSeq} = the highest seq it saw. Measures how long until every client is subscribed
 * again and has every message accepted before the reconnect, and checks over the whole run that
 * every client saw every message exactly once: the replay and the live stream meet without a
 * gap and without a duplicate. Chat-specific: recovery by seq is our protocol's.
 */
public final class ReconnectStormScenario {

	/** Attempts of one client to resubscribe after its first, before it counts as failed. */
	private static final int RETRIES = 20;

	private ReconnectStormScenario() {
	}

	/**
	 * @param reconnectFailed clients that could not resubscribe in all their attempts
	 * @param failedAttempts refused or broken attempts, each retried after a back-off
	 * @param recovery per client, from the start of the reconnect to subscribed and caught up
	 * @param allRecoveredMillis until the last client recovered, -1 if some never did
	 * @param missedExamples up to ten clients with what they missed, each message placed
	 *     relative to the storm: sent before the drop, while down, or after the reconnect began
	 */
	public record ReconnectResult(String target, int clients, int subscribed, int reconnected, long reconnectFailed,
			long failedAttempts, Map<String, Long> attemptFailures, int recovered, LatencySummary resubscribe, LatencySummary recovery,
			double allRecoveredMillis, long sent, long accepted, DeliveryCounter.Counts counts,
			Map<String, Long> refusals, List<String> missedExamples,
			@com.fasterxml.jackson.annotation.JsonIgnore Histogram recoveryHistogram)
			implements Result {

		public long lost() {
			return counts.lost();
		}

		public long duplicated() {
			return counts.duplicated();
		}

		@Override
		public List<Table> tables() {
			return List.of(new Table("reconnect storm: %,d clients on %s".formatted(clients, target),
					List.of("what", "value"),
					List.of(List.of("subscribed before the drop", "%,d".formatted(subscribed)),
							List.of("reconnected / failed", "%,d / %,d".formatted(reconnected, reconnectFailed)),
							List.of("attempts refused and retried", "%,d %s".formatted(failedAttempts,
									attemptFailures.isEmpty() ? "" : attemptFailures.toString())),
							List.of("handshake + subscribe with sinceSeq", resubscribe.toString()),
							List.of("until caught up (per client)", recovery.toString()),
							List.of("until all caught up", allRecoveredMillis < 0 ? "not all recovered (%,d of %,d)"
								.formatted(recovered, subscribed) : "%.0f ms".formatted(allRecoveredMillis)),
							List.of("messages sent / acked", "%,d / %,d".formatted(sent, accepted)),
							List.of("deliveries expected / received", "%,d / %,d".formatted(counts.expected(),
									counts.received())),
							List.of("missed / duplicated", "%d / %d".formatted(counts.lost(), counts.duplicated())),
							List.of("refused sends", refusals.isEmpty() ? "none" : refusals.toString()),
							List.of("missed, examples", missedExamples.isEmpty() ? "none" : String.join("; ",
									missedExamples)))));
		}

		@Override
		public List<Chart> charts() {
			return List.of(new Chart("recovery", Svg.percentiles("reconnect to caught up", List.of("per client"),
					List.of(recoveryHistogram))));
		}

	}

	public static ReconnectResult run(BenchContext context) {
		Options options = context.options();
		int clients = options.integer("clients");
		double rate = options.decimal("rate");
		int size = options.integer("size");
		RoomSetup.Room room = context.everyoneRoom("all");
		// Messages flow for the whole run; the schedule is sized for its longest possible length.
		double longest = (options.duration("before").plus(options.duration("down"))
			.plus(options.duration("recover-timeout"))
			.plus(options.duration("after"))
			.toMillis()) / 1000.0;
		int capacity = OpenLoopSchedule.count(rate, longest) + 1;
		SendLog sends = new SendLog(capacity);
		DeliveryRecorder recorder = new DeliveryRecorder(context.runId(), sends, clients,
				options.duration("late").toNanos());
		context.out().printf("reconnect-storm: %,d clients on :%d, %s msg/s%n", clients,
				context.config().ports().gateway(), options.string("rate"));
		try (ChatTarget target = context.chatTarget(List.of(context.config().ports().gateway()))) {
			Crowd crowd = Crowd.open(target, 0, clients, options.decimal("connect-rate"), i -> room.id(),
					i -> (connection, body, at) -> recorder.delivered(i, body, at));
			int senderCount = Sender.Through.needed(rate);
			Crowd senders = Crowd.open(target, clients, senderCount, 50, i -> room.id(), i -> (c, body, at) -> {
			});
			crowd.await(Duration.ofSeconds(120).plusSeconds((long) (clients / options.decimal("connect-rate"))), () -> {
			});
			senders.await(Duration.ofSeconds(60), () -> {
			});
			int subscribed = crowd.opened();
			context.out().printf("  %,d subscribed, %,d failed %s%n", subscribed, crowd.failed(), crowd.reasons());
			AtomicBoolean stop = new AtomicBoolean();
			AtomicReference<OpenLoopSchedule.Progress> progress = new AtomicReference<>();
			Sender.Through sender = new Sender.Through(FanoutScenario.openOf(senders), room.id());
			AtomicReference<Integer> lastSent = new AtomicReference<>(0);
			Thread sending = Thread.ofPlatform().daemon().name("bench-send").start(() -> progress.set(OpenLoopSchedule
				.startingNow(rate)
				.run(capacity, (n, due) -> {
					sends.sent(n, System.nanoTime() - due);
					sender.send(n, Body.format(context.runId(), n, due, size), () -> sends.accepted(n));
					lastSent.set(n);
				}, stop::get)));
			sleep(options.duration("before"));

			// The drop: every client closes its socket at once; their last seqs are where they resume.
			int lastBeforeDrop = lastSent.get();
			long[] resumeFrom = new long[clients];
			boolean[] wasOpen = new boolean[clients];
			for (int i = 0; i < clients; i++) {
				if (crowd.get(i) instanceof ChatConnection chat) {
					wasOpen[i] = true;
				}
			}
			crowd.closeAll(Duration.ofSeconds(30));
			for (int i = 0; i < clients; i++) {
				if (crowd.get(i) instanceof ChatConnection chat) {
					resumeFrom[i] = chat.lastSeq();
				}
			}
			sleep(options.duration("down"));

			// The storm: every client reconnects at once, resuming after its last seq.
			BitSet acceptedAtReconnect = sends.acceptedSet();
			int lastBeforeStorm = lastSent.get();
			long stormStart = System.nanoTime();
			LatencyRecorder resubscribe = new LatencyRecorder();
			AtomicReferenceArray<ChatConnection> again = new AtomicReferenceArray<>(clients);
			LongAdder failed = new LongAdder();
			LongAdder retries = new LongAdder();
			Map<String, LongAdder> failures = new java.util.concurrent.ConcurrentHashMap<>();
			for (int i = 0; i < clients; i++) {
				if (!wasOpen[i]) {
					continue;
				}
				int client = i;
				// A refused subscribe is retried as a real client would: backing off, with jitter.
				Mono.defer(() -> target.connect(client, room.id(), resumeFrom[client],
						(c, body, at) -> recorder.delivered(client, body, at)))
					.doOnError(error -> {
						retries.increment();
						failures.computeIfAbsent(String.valueOf(error.getMessage()), r -> new LongAdder()).increment();
					})
					.retryWhen(Retry.backoff(RETRIES, Duration.ofMillis(200)).maxBackoff(Duration.ofSeconds(3)).jitter(0.5))
					.subscribe(connection -> {
						resubscribe.recordNanos(System.nanoTime() - stormStart);
						again.set(client, connection);
					}, error -> failed.increment());
			}
			CatchUp recovery = CatchUp.await(clients, subscribed,
					i -> wasOpen[i] && again.get(i) != null && recorder.counter(0).hasAll(i, acceptedAtReconnect),
					stormStart, stormStart + options.duration("recover-timeout").toNanos());
			context.out().printf("  %,d of %,d recovered%s%n", recovery.count(), subscribed, recovery.took());
			sleep(options.duration("after"));
			stop.set(true);
			try {
				sending.join(Duration.ofSeconds((long) longest + 5));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			// Grace: wait until everyone has every accepted message, or the grace period ends.
			long graceEnd = System.nanoTime() + options.duration("grace").toNanos();
			DeliveryCounter.Counts counts;
			do {
				LockSupport.parkNanos(50_000_000);
				BitSet all = sends.acceptedSet();
				counts = recorder.counter(0).counts(c -> wasOpen[c] && again.get(c) != null ? all : Step.NONE);
			}
			while (counts.lost() > 0 && System.nanoTime() < graceEnd);
			for (int i = 0; i < clients; i++) {
				ChatConnection connection = again.get(i);
				if (connection != null) {
					connection.close();
				}
			}
			senders.closeAll(Duration.ofSeconds(10));
			List<String> missed = new java.util.ArrayList<>();
			BitSet all = sends.acceptedSet();
			for (int i = 0; i < clients && missed.size() < 10; i++) {
				if (wasOpen[i] && again.get(i) != null) {
					BitSet gap = recorder.counter(0).missing(i, all);
					if (!gap.isEmpty()) {
						StringBuilder example = new StringBuilder("client " + i + " (resumed after seq " + resumeFrom[i]
								+ "):");
						gap.stream().limit(5).forEach(msgNo -> example.append(' ').append(msgNo).append(msgNo <= lastBeforeDrop
								? "/before-drop" : msgNo <= lastBeforeStorm ? "/while-down" : "/after-reconnect"));
						missed.add(example.toString());
					}
				}
			}
			Map<String, Long> failureCounts = new java.util.TreeMap<>();
			failures.forEach((reason, n) -> failureCounts.put(reason, n.sum()));
			Histogram recoveryHistogram = recovery.times().interval();
			int reconnected = 0;
			for (int i = 0; i < clients; i++) {
				if (again.get(i) != null) {
					reconnected++;
				}
			}
			return new ReconnectResult(target.name(), clients, subscribed, reconnected, failed.sum(), retries.sum(),
					failureCounts,
					recovery.count(), LatencySummary.of(resubscribe.interval()), LatencySummary.of(recoveryHistogram),
					recovery.allMillis(), lastSent.get() + 1, sends.acceptedSet().cardinality(),
					counts, sender.refusals(), missed, recoveryHistogram);
		}
	}

	private static void sleep(Duration duration) {
		long end = System.nanoTime() + duration.toNanos();
		while (System.nanoTime() < end) {
			LockSupport.parkNanos(end - System.nanoTime());
		}
	}

}
