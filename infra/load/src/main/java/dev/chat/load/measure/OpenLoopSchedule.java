package dev.chat.load.measure;

import java.util.concurrent.locks.LockSupport;

/**
 * Sends on an absolute schedule: message {@code n} is due at {@code start + n / rate}, whatever
 * happened to the ones before (their acks are never awaited). When the generator itself cannot
 * keep up, the due times stay where they were, so latency measured from the due time includes
 * the generator's delay (coordinated omission corrected), and how far behind it fell is reported.
 */
public final class OpenLoopSchedule {

	/** Later than this after its due time counts as falling behind: below it is timer jitter. */
	static final long BEHIND_NANOS = 2_000_000;

	private final long startNanos;

	private final double perSecond;

	private final Clock clock;

	public OpenLoopSchedule(long startNanos, double perSecond, Clock clock) {
		if (perSecond <= 0) {
			throw new IllegalArgumentException("rate must be positive, was " + perSecond);
		}
		this.startNanos = startNanos;
		this.perSecond = perSecond;
		this.clock = clock;
	}

	public static OpenLoopSchedule startingNow(double perSecond) {
		return new OpenLoopSchedule(System.nanoTime(), perSecond, Clock.SYSTEM);
	}

	/** The due time of send number {@code n}. */
	public long dueNanos(long n) {
		return startNanos + (long) (n * 1_000_000_000.0 / perSecond);
	}

	/** How many sends fall within {@code seconds}. */
	public static int count(double perSecond, double seconds) {
		return (int) Math.round(perSecond * seconds);
	}

	/**
	 * Runs sends {@code 0 .. count-1} on this thread, each at its due time; {@code send} gets the
	 * number and the due time and must not block (it starts an asynchronous send).
	 */
	public Progress run(int count, Send send) {
		return run(count, send, () -> false);
	}

	/** Like {@link #run(int, Send)}, ending early once {@code stopped} says so (checked before each send). */
	public Progress run(int count, Send send, java.util.function.BooleanSupplier stopped) {
		long behind = 0;
		long maxLag = 0;
		int n = 0;
		for (; n < count && !stopped.getAsBoolean(); n++) {
			long due = dueNanos(n);
			clock.sleepUntil(due);
			long lag = clock.nanoTime() - due;
			if (lag > BEHIND_NANOS) {
				behind++;
			}
			maxLag = Math.max(maxLag, lag);
			send.send(n, due);
		}
		return new Progress(n, behind, maxLag / 1_000_000.0);
	}

	/** One send: number {@code n}, due at {@code dueNanos}. */
	@FunctionalInterface
	public interface Send {

		void send(int n, long dueNanos);

	}

	/**
	 * @param sent sends started
	 * @param behind sends started more than 2 ms after their due time
	 * @param maxLagMillis the latest a send started after its due time
	 */
	public record Progress(long sent, long behind, double maxLagMillis) {
	}

	/** The time source, replaceable in tests. */
	public interface Clock {

		Clock SYSTEM = new Clock() {
			@Override
			public long nanoTime() {
				return System.nanoTime();
			}

			@Override
			public void sleepUntil(long nanos) {
				for (long left = nanos - System.nanoTime(); left > 0; left = nanos - System.nanoTime()) {
					LockSupport.parkNanos(left);
				}
			}
		};

		long nanoTime();

		void sleepUntil(long nanos);

	}

}
