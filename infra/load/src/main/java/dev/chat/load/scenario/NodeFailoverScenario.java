package dev.chat.load.scenario;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

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
 * {@code node-failover}: a gateway node dies ({@code --signal=KILL}) or is stopped ({@code TERM})
 * under its clients. {@code --clients} subscribers and the sender are connected to node
 * {@code --node}, {@code --watchers} subscribers to another node, and messages flow at
 * {@code --rate}. Every client whose socket ends reconnects through the public entry (nginx), as a
 * real one does, resuming with {@code sinceSeq}; the sender sends again, with the same
 * {@code clientMsgId}, every message nobody answered. Measured: per client, the time from the
 * signal to subscribed again and to caught up; per client and message, deliveries (missed,
 * duplicated); the sends the dying node left unanswered; and, from the room's history, that every
 * acknowledged message is stored once with gap-free seqs. The node stays stopped ({@code ./chat
 * up} starts it again). Needs two gateway nodes and nginx ({@code ./chat up}'s default).
 */
public final class NodeFailoverScenario {

	private static final int RETRIES = 30;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private NodeFailoverScenario() {
	}

	/**
	 * @param closeCodes how the failing node's sockets ended, by close code (-1: no close frame)
	 * @param unansweredAtClose sends the sender had made on the failing node that were neither
	 *     acknowledged nor refused when its socket ended (each is sent again)
	 * @param resent sends made again after reconnecting (unanswered or refused)
	 * @param stored distinct messages of this run in the history; {@code storedTwice} more than once
	 * @param seqGapFree whether the run's messages hold consecutive seqs from the head at the start
	 */
	public record FailoverResult(String signal, String node, int clients, int watchers, int subscribed,
			int reconnected, long reconnectFailed, LatencySummary reconnect, LatencySummary caughtUp,
			double allCaughtUpMillis, Map<Integer, Long> closeCodes, long sent, long acked, long unansweredAtClose,
			long resent, Map<String, Long> refusals, long stored, long storedTwice, long ackedNotStored,
			boolean seqGapFree, DeliveryCounter.Counts counts,
			@com.fasterxml.jackson.annotation.JsonIgnore Histogram reconnectHistogram) implements Result {

		public long lost() {
			return counts.lost();
		}

		public long duplicated() {
			return counts.duplicated();
		}

		@Override
		public List<Table> tables() {
			return List.of(new Table("node failover: SIG%s to %s under %,d clients (%,d watchers elsewhere)".formatted(
					signal, node, clients, watchers), List.of("what", "value"),
					List.of(List.of("subscribed before", "%,d".formatted(subscribed)),
							List.of("reconnected through the entry / failed", "%,d / %,d".formatted(reconnected,
									reconnectFailed)),
							List.of("close codes", closeCodes.toString()),
							List.of("signal → subscribed again (sinceSeq)", reconnect.toString()),
							List.of("signal → caught up", caughtUp.toString()),
							List.of("until all caught up", allCaughtUpMillis < 0 ? "not all"
									: "%.0f ms".formatted(allCaughtUpMillis)),
							List.of("messages sent / acked", "%,d / %,d".formatted(sent, acked)),
							List.of("unanswered when the node went / sent again", "%,d / %,d".formatted(
									unansweredAtClose, resent)),
							List.of("refusals", refusals.isEmpty() ? "none" : refusals.toString()),
							List.of("stored / twice / acked but not stored", "%,d / %,d / %,d".formatted(stored,
									storedTwice, ackedNotStored)),
							List.of("seqs gap-free", String.valueOf(seqGapFree)),
							List.of("deliveries expected / received", "%,d / %,d".formatted(counts.expected(),
									counts.received())),
							List.of("missed / duplicated", "%d / %d".formatted(counts.lost(), counts.duplicated())))));
		}

		@Override
		public List<Chart> charts() {
			return List.of(new Chart("reconnect", Svg.percentiles("signal to subscribed again", List.of("per client"),
					List.of(reconnectHistogram))));
		}

	}

	public static FailoverResult run(BenchContext context) {
		Options options = context.options();
		var ports = context.config().ports();
		int node = options.integer("node");
		int gateways = context.config().topology().gateways();
		if (gateways < 2 || node < 1 || node > gateways) {
			throw new IllegalArgumentException("node-failover needs two gateway nodes and --node between 1 and "
					+ gateways + " (./chat up --gateways 2)");
		}
		String signal = options.string("signal").toUpperCase(java.util.Locale.ROOT);
		if (!signal.equals("KILL") && !signal.equals("TERM")) {
			throw new IllegalArgumentException("--signal is KILL or TERM, was " + signal);
		}
		String component = node == 1 ? "gateway" : "gateway-" + node;
		ProcessHandle process = processOf(context.config().runDir().resolve(component + ".pid"));
		int clients = options.integer("clients");
		int watchers = options.integer("watchers");
		int everyone = clients + watchers;
		double rate = options.decimal("rate");
		RoomSetup.Room room = context.everyoneRoom("all");
		Gateway entryRest = new Gateway(context.http(), ports.entry(), context.tokens());
		double longest = (options.duration("before").plus(options.duration("recover-timeout"))
			.plus(options.duration("after"))
			.toMillis()) / 1000.0;
		int capacity = OpenLoopSchedule.count(rate, longest) + 1;
		SendLog sends = new SendLog(capacity);
		DeliveryRecorder recorder = new DeliveryRecorder(context.runId(), sends, everyone,
				options.duration("late").toNanos());
		context.out().printf("node-failover: SIG%s to %s (:%d) under %,d clients, %,d watchers on node %d, %s msg/s%n",
				signal, component, ports.gatewayNode(node), clients, watchers, node == 1 ? 2 : 1, options.string("rate"));
		int ioThreads = options.integer("io-threads");
		try (ChatTarget doomed = new ChatTarget(List.of(ports.gatewayNode(node)), context.tokens(), ioThreads);
				ChatTarget other = new ChatTarget(List.of(ports.gatewayNode(node == 1 ? 2 : 1)), context.tokens(),
						ioThreads);
				ChatTarget entry = new ChatTarget(List.of(ports.entry()), context.tokens(), ioThreads);
				// The sender is a device of its own: on the followers' I/O threads it would read the
				// dying node's close frame behind 1,000 others, and send on past it meanwhile.
				ChatTarget senderOnNode = new ChatTarget(List.of(ports.gatewayNode(node)), context.tokens(), 1);
				ChatTarget senderEntry = new ChatTarget(List.of(ports.entry()), context.tokens(), 1)) {
			Followers followers = new Followers(entry, room.id(), everyone, recorder);
			for (int i = 0; i < everyone; i++) {
				followers.connect(i, i < clients ? doomed : other, -1);
				if (i % 100 == 99) {
					// 100 handshakes at a time keeps the opening from timing out on a shared machine.
					followers.awaitOpened(i + 1, Duration.ofSeconds(60));
				}
			}
			followers.awaitOpened(everyone, Duration.ofSeconds(120));
			RetryingSender sender = new RetryingSender(context.runId(), room.id(), sends, senderEntry, everyone);
			sender.connect(senderOnNode);
			long headAtStart = sender.awaitConnected(Duration.ofSeconds(30));
			context.out().printf("  %,d subscribed, %,d failed; head seq %d%n", followers.opened(), followers.failed(),
					headAtStart);

			AtomicBoolean stop = new AtomicBoolean();
			AtomicInteger lastSent = new AtomicInteger(-1);
			Thread sending = Thread.ofPlatform().daemon().name("bench-send").start(() -> OpenLoopSchedule
				.startingNow(rate)
				.run(capacity, (n, due) -> {
					sends.sent(n, System.nanoTime() - due);
					sender.send(n, Body.format(context.runId(), n, due, options.integer("size")));
					lastSent.set(n);
				}, stop::get));
			sleep(options.duration("before"));

			BitSet ackedBeforeSignal = sends.acceptedSet();
			long signalAt = System.nanoTime();
			followers.failingFrom(signalAt);
			if (signal.equals("KILL")) {
				process.destroyForcibly();
			}
			else {
				process.destroy();
			}
			CatchUp caughtUp = CatchUp.await(clients, clients,
					i -> followers.reconnectedAt(i) > 0 && recorder.counter(0).hasAll(i, ackedBeforeSignal), signalAt,
					signalAt + options.duration("recover-timeout").toNanos());
			context.out().printf("  %,d of %,d caught up%s%n", caughtUp.count(), clients, caughtUp.took());
			sleep(options.duration("after"));
			stop.set(true);
			join(sending, Duration.ofSeconds((long) longest + 5));
			try {
				process.onExit().get(30, TimeUnit.SECONDS);
			}
			catch (Exception stillRunning) {
				context.out().printf("  %s has not exited 30 s after SIG%s%n", component, signal);
			}

			// Whatever is still unanswered is sent again until answered, as a client would.
			long graceEnd = System.nanoTime() + options.duration("grace").toNanos();
			DeliveryCounter.Counts counts;
			do {
				sender.resendUnanswered();
				LockSupport.parkNanos(200_000_000);
				BitSet all = sends.acceptedSet();
				counts = recorder.counter(0).counts(all);
			}
			while ((counts.lost() > 0 || sender.unanswered() > 0) && System.nanoTime() < graceEnd);
			followers.finish();
			sender.close();

			BitSet acked = sends.acceptedSet();
			Stored stored = Stored.read(entryRest, room.id(), headAtStart, context.runId(), acked);
			Histogram reconnectHistogram = followers.reconnect.interval();
			return new FailoverResult(signal, component, clients, watchers, followers.opened(), followers.reconnected(),
					followers.failed(), LatencySummary.of(reconnectHistogram), LatencySummary.of(caughtUp.times().interval()),
					caughtUp.allMillis(), followers.closeCodes(), lastSent.get() + 1L,
					acked.cardinality(), sender.unansweredAtClose.sum(), sender.resent.sum(), sender.refusals(),
					stored.distinct(), stored.twice(), stored.ackedMissing(), stored.gapFree(), counts,
					reconnectHistogram);
		}
	}

	/**
	 * The subscribers: each connects, and whenever its socket ends reconnects through the entry
	 * with {@code sinceSeq} the last seq it saw, backing off with jitter while refused.
	 */
	private static final class Followers {

		private final ChatTarget entry;

		private final String roomId;

		private final DeliveryRecorder recorder;

		private final AtomicReferenceArray<ChatConnection> current;

		private final long[] reconnectedAt;

		private final AtomicInteger opened = new AtomicInteger();

		private final AtomicInteger reconnected = new AtomicInteger();

		private final LongAdder failed = new LongAdder();

		private final Map<Integer, LongAdder> closeCodes = new ConcurrentHashMap<>();

		final LatencyRecorder reconnect = new LatencyRecorder();

		private volatile long failingFrom;

		private volatile boolean finished;

		Followers(ChatTarget entry, String roomId, int count, DeliveryRecorder recorder) {
			this.entry = entry;
			this.roomId = roomId;
			this.recorder = recorder;
			this.current = new AtomicReferenceArray<>(count);
			this.reconnectedAt = new long[count];
		}

		void connect(int client, ChatTarget via, long sinceSeq) {
			boolean again = sinceSeq >= 0;
			Mono.defer(() -> via.connect(client, roomId, sinceSeq, (c, body, at) -> recorder.delivered(client, body, at)))
				.retryWhen(Retry.backoff(RETRIES, Duration.ofMillis(100)).maxBackoff(Duration.ofSeconds(2)).jitter(0.5))
				.subscribe(connection -> {
					current.set(client, connection);
					if (again) {
						long now = System.nanoTime();
						reconnect.recordNanos(now - failingFrom);
						reconnectedAt[client] = now;
						reconnected.incrementAndGet();
					}
					else {
						opened.incrementAndGet();
					}
					connection.onClose().subscribe(null, null, () -> {
						if (!finished) {
							closeCodes.computeIfAbsent(connection.closeCode(), code -> new LongAdder()).increment();
							connect(client, entry, connection.lastSeq());
						}
					});
				}, error -> failed.increment());
		}

		void failingFrom(long nanos) {
			failingFrom = nanos;
		}

		long reconnectedAt(int client) {
			return reconnectedAt[client];
		}

		void awaitOpened(int count, Duration timeout) {
			long deadline = System.nanoTime() + timeout.toNanos();
			while (opened.get() + failed.sum() < count && System.nanoTime() < deadline) {
				LockSupport.parkNanos(20_000_000);
			}
		}

		int opened() {
			return opened.get();
		}

		int reconnected() {
			return reconnected.get();
		}

		long failed() {
			return failed.sum();
		}

		Map<Integer, Long> closeCodes() {
			Map<Integer, Long> out = new TreeMap<>();
			closeCodes.forEach((code, n) -> out.put(code, n.sum()));
			return out;
		}

		void finish() {
			finished = true;
			for (int i = 0; i < current.length(); i++) {
				ChatConnection connection = current.get(i);
				if (connection != null) {
					connection.close();
				}
			}
		}

	}

	/**
	 * The one sender, a client that keeps every send until it is answered: when its socket ends
	 * it reconnects through the entry and sends again, with the same {@code clientMsgId}, every
	 * message that got no acknowledgement (unanswered, or refused as {@code unavailable}).
	 */
	private static final class RetryingSender implements AutoCloseable {

		private final String runId;

		private final String roomId;

		private final SendLog sends;

		private final ChatTarget entry;

		private final int client;

		private final AtomicReference<ChatConnection> current = new AtomicReference<>();

		/** msgNo → body, until acknowledged. */
		private final ConcurrentSkipListMap<Integer, String> unanswered = new ConcurrentSkipListMap<>();

		private final Map<String, LongAdder> refused = new ConcurrentHashMap<>();

		final LongAdder unansweredAtClose = new LongAdder();

		final LongAdder resent = new LongAdder();

		private volatile boolean closed;

		RetryingSender(String runId, String roomId, SendLog sends, ChatTarget entry, int client) {
			this.runId = runId;
			this.roomId = roomId;
			this.sends = sends;
			this.entry = entry;
			this.client = client;
		}

		void connect(ChatTarget via) {
			Mono.defer(() -> via.connect(client, roomId, -1, (c, body, at) -> {
			}))
				.retryWhen(Retry.backoff(RETRIES, Duration.ofMillis(100)).maxBackoff(Duration.ofSeconds(2)).jitter(0.5))
				.subscribe(connection -> {
					current.set(connection);
					resendUnanswered();
					connection.onClose().subscribe(null, null, () -> {
						if (!closed) {
							connect(entry);
						}
					});
				}, error -> refused.computeIfAbsent("reconnect failed: " + error.getMessage(), r -> new LongAdder())
					.increment());
		}

		/** Waits for the first connection; returns the room's head seq it was told. */
		long awaitConnected(Duration timeout) {
			long deadline = System.nanoTime() + timeout.toNanos();
			while (current.get() == null) {
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException("the sender could not connect: " + refusals());
				}
				LockSupport.parkNanos(20_000_000);
			}
			return current.get().subscribedSeq();
		}

		void send(int msgNo, String body) {
			unanswered.put(msgNo, body);
			attempt(msgNo, body);
		}

		void resendUnanswered() {
			unanswered.forEach((msgNo, body) -> {
				resent.increment();
				attempt(msgNo, body);
			});
		}

		int unanswered() {
			return unanswered.size();
		}

		private void attempt(int msgNo, String body) {
			ChatConnection connection = current.get();
			connection.publish(roomId, runId + "-" + msgNo, body).subscribe(null, error -> {
				String reason = String.valueOf(error.getMessage());
				boolean neverSent = ChatConnection.NOT_CONNECTED.equals(reason);
				if (!neverSent && !(error instanceof ChatConnection.Refused refusal && refusal.answered())) {
					// Sent on a socket that ended (or broke) before anything answered it.
					unansweredAtClose.increment();
				}
				refused.computeIfAbsent(reason, r -> new LongAdder()).increment();
			}, () -> {
				if (unanswered.remove(msgNo) != null) {
					sends.accepted(msgNo);
				}
			});
		}

		Map<String, Long> refusals() {
			Map<String, Long> out = new TreeMap<>();
			refused.forEach((reason, n) -> out.put(reason, n.sum()));
			return out;
		}

		@Override
		public void close() {
			closed = true;
			ChatConnection connection = current.get();
			if (connection != null) {
				connection.close();
			}
		}

	}

	/** This run's messages in the room's history, after the head seq at its start. */
	record Stored(long distinct, long twice, long ackedMissing, boolean gapFree) {

		static Stored read(Gateway gateway, String roomId, long afterSeq, String runId, BitSet acked) {
			Map<Integer, Integer> copies = new HashMap<>();
			List<Long> seqs = new ArrayList<>();
			long after = afterSeq;
			boolean more = true;
			while (more) {
				String body = gateway.get(0, "/api/rooms/" + roomId + "/messages?afterSeq=" + after + "&limit=100")
					.expect(200)
					.body();
				JsonNode page = JSON.readTree(body);
				for (JsonNode message : page.path("messages")) {
					long seq = message.path("seq").asLong();
					seqs.add(seq);
					after = Math.max(after, seq);
					Body parsed = Body.parse(message.path("body").asString(), runId);
					if (parsed != null) {
						copies.merge(parsed.msgNo(), 1, Integer::sum);
					}
				}
				more = page.path("hasMore").asBoolean() && !page.path("messages").isEmpty();
			}
			boolean gapFree = true;
			for (int i = 0; i < seqs.size(); i++) {
				gapFree &= seqs.get(i) == afterSeq + 1 + i;
			}
			long twice = copies.values().stream().filter(n -> n > 1).count();
			long missing = acked.stream().filter(msgNo -> !copies.containsKey(msgNo)).count();
			return new Stored(copies.size(), twice, missing, gapFree);
		}

	}

	private static ProcessHandle processOf(Path pidFile) {
		try {
			long pid = Long.parseLong(Files.readString(pidFile).trim().split("\\s+")[0]);
			return ProcessHandle.of(pid)
				.filter(ProcessHandle::isAlive)
				.orElseThrow(() -> new IllegalStateException("no live process " + pid + " (" + pidFile + ")"));
		}
		catch (IOException | NumberFormatException ex) {
			throw new IllegalStateException("no pid in " + pidFile + ": is the node running?", ex);
		}
	}

	private static void join(Thread thread, Duration timeout) {
		try {
			thread.join(timeout);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void sleep(Duration duration) {
		long end = System.nanoTime() + duration.toNanos();
		while (System.nanoTime() < end) {
			LockSupport.parkNanos(end - System.nanoTime());
		}
	}

}
