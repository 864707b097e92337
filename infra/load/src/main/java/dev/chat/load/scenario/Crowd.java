package dev.chat.load.scenario;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

import dev.chat.load.measure.LatencyRecorder;
import dev.chat.load.measure.OpenLoopSchedule;
import dev.chat.load.target.Connection;
import dev.chat.load.target.Deliveries;
import dev.chat.load.target.Target;

/**
 * Many connections opened on an open-loop schedule ({@code perSecond}), each timed from its
 * due time and from its actual start to the confirmed subscription; failures are counted by
 * reason. The schedule runs on its own thread so the caller can sample the server meanwhile.
 */
final class Crowd {

	private final AtomicReferenceArray<Connection> connections;

	private final AtomicInteger opened = new AtomicInteger();

	private final LongAdder failed = new LongAdder();

	private final Map<String, LongAdder> reasons = new ConcurrentHashMap<>();

	final LatencyRecorder fromSchedule = new LatencyRecorder();

	final LatencyRecorder fromStart = new LatencyRecorder();

	private final int count;

	private volatile OpenLoopSchedule.Progress progress;

	private Crowd(int count) {
		this.count = count;
		this.connections = new AtomicReferenceArray<>(count);
	}

	/**
	 * Starts opening connections {@code first .. first+count-1} (client numbers), connection
	 * {@code i} of the crowd subscribed to {@code channelOf.apply(i)}.
	 */
	static Crowd open(Target target, int first, int count, double perSecond, IntFunction<String> channelOf,
			IntFunction<Deliveries> deliveriesOf) {
		return open(target, first, count, perSecond, MAX_IN_FLIGHT, channelOf, deliveriesOf);
	}

	/**
	 * At most this many handshakes at once: a server slower than the schedule would otherwise
	 * collect thousands of half-open sockets that all time out together. Waiting for a slot
	 * makes the schedule fall behind, which the latency from the due time shows.
	 */
	static final int MAX_IN_FLIGHT = 500;

	static Crowd open(Target target, int first, int count, double perSecond, int maxInFlight,
			IntFunction<String> channelOf, IntFunction<Deliveries> deliveriesOf) {
		Crowd crowd = new Crowd(count);
		java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(maxInFlight);
		Thread.ofPlatform().daemon().name("bench-connect").start(() -> crowd.progress = OpenLoopSchedule
			.startingNow(perSecond)
			.run(count, (i, due) -> {
				inFlight.acquireUninterruptibly();
				long start = System.nanoTime();
				target.connect(first + i, channelOf.apply(i), deliveriesOf.apply(i))
					.doFinally(signal -> inFlight.release())
					.subscribe(connection -> {
					long now = System.nanoTime();
					crowd.fromSchedule.recordNanos(now - due);
					crowd.fromStart.recordNanos(now - start);
					crowd.connections.set(i, connection);
					crowd.opened.incrementAndGet();
				}, error -> {
					crowd.failed.increment();
					crowd.reasons.computeIfAbsent(reason(error), r -> new LongAdder()).increment();
				});
			}));
		return crowd;
	}

	private static String reason(Throwable error) {
		String message = error.getMessage() == null ? "" : error.getMessage();
		if (message.length() > 80) {
			message = message.substring(0, 80);
		}
		return error.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
	}

	int opened() {
		return opened.get();
	}

	long failed() {
		return failed.sum();
	}

	boolean done() {
		return opened() + failed() >= count;
	}

	/** Waits until every connection opened or failed, at most {@code timeout}; calls {@code tick} every 20 ms. */
	Crowd await(Duration timeout, Runnable tick) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!done() && System.nanoTime() < deadline) {
			tick.run();
			LockSupport.parkNanos(20_000_000);
		}
		tick.run();
		return this;
	}

	Map<String, Long> reasons() {
		Map<String, Long> out = new TreeMap<>();
		reasons.forEach((reason, n) -> out.put(reason, n.sum()));
		if (!done()) {
			out.put("still pending at the end", (long) (count - opened() - failed()));
		}
		return out;
	}

	OpenLoopSchedule.Progress progress() {
		return progress;
	}

	/** Connection {@code i}, or null when it did not open. */
	Connection get(int i) {
		return connections.get(i);
	}

	int size() {
		return count;
	}

	/** Closes every open connection from the client side and waits (bounded) until they are closed. */
	void closeAll(Duration timeout) {
		for (int i = 0; i < count; i++) {
			Connection connection = connections.get(i);
			if (connection != null) {
				connection.close();
			}
		}
		long deadline = System.nanoTime() + timeout.toNanos();
		for (int i = 0; i < count; i++) {
			Connection connection = connections.get(i);
			if (connection != null) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					return;
				}
				try {
					connection.onClose().block(Duration.ofNanos(left));
				}
				catch (RuntimeException ex) {
					return;
				}
			}
		}
	}

}
