package dev.chat.load.scenario;

import java.util.concurrent.locks.LockSupport;
import java.util.function.IntPredicate;

import dev.chat.load.measure.LatencyRecorder;

/**
 * How long clients took to catch up after a disruption (a storm, a node's death): each is
 * counted the first time its condition holds, polled every 10 ms until {@code expected} have or
 * the deadline passes.
 *
 * @param times from {@code since} to each client's catching up
 * @param count how many caught up
 * @param allNanos from {@code since} until the last of {@code expected} did, -1 if not all did
 */
record CatchUp(LatencyRecorder times, int count, long allNanos) {

	static CatchUp await(int clients, int expected, IntPredicate caughtUp, long since, long deadline) {
		LatencyRecorder times = new LatencyRecorder();
		boolean[] done = new boolean[clients];
		int count = 0;
		while (System.nanoTime() < deadline) {
			for (int i = 0; i < clients; i++) {
				if (!done[i] && caughtUp.test(i)) {
					done[i] = true;
					count++;
					times.recordNanos(System.nanoTime() - since);
				}
			}
			if (count == expected) {
				return new CatchUp(times, count, System.nanoTime() - since);
			}
			LockSupport.parkNanos(10_000_000);
		}
		return new CatchUp(times, count, -1);
	}

	/** " in N ms" when all caught up, else nothing: for the progress line. */
	String took() {
		return allNanos < 0 ? "" : " in %.0f ms".formatted(allNanos / 1e6);
	}

	/** Until all caught up in ms, -1 if not all did. */
	double allMillis() {
		return allNanos < 0 ? -1 : allNanos / 1e6;
	}

}
