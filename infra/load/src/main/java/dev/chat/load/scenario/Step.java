package dev.chat.load.scenario;

import java.util.BitSet;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;

import dev.chat.load.measure.Body;
import dev.chat.load.measure.DeliveryCounter;
import dev.chat.load.measure.DeliveryRecorder;
import dev.chat.load.measure.HopLog;
import dev.chat.load.measure.LatencySummary;
import dev.chat.load.measure.OpenLoopSchedule;
import dev.chat.load.measure.SendLog;

/**
 * One fixed-rate step of sends on an open-loop schedule, then a drain: the step ends when every
 * accepted message reached every receiver, or the grace period ran out (what is missing then
 * is lost).
 */
final class Step {

	static final BitSet NONE = new BitSet();

	private Step() {
	}

	/** What one step measured. */
	record Measured(double offeredPerSecond, double sentSeconds, OpenLoopSchedule.Progress schedule, long accepted,
			DeliveryCounter.Counts counts, Histogram fromSchedule, Histogram fromSend, double wallSeconds) {

		LatencySummary latency() {
			return LatencySummary.of(fromSchedule);
		}

		LatencySummary latencyFromSend() {
			return LatencySummary.of(fromSend);
		}

		double deliveredPerSecond() {
			return counts.received() / wallSeconds;
		}

	}

	/**
	 * Sends messages {@code firstMsgNo ..} at {@code perSecond} for {@code seconds} through
	 * {@code sender}, then waits up to {@code graceNanos} for {@code receivers} receivers each.
	 */
	static Measured run(String runId, Sender sender, SendLog sends, DeliveryRecorder recorder, int step, int firstMsgNo,
			double perSecond, double seconds, int size, long graceNanos, java.util.function.IntPredicate open) {
		return run(runId, sender, sends, null, recorder, step, firstMsgNo, perSecond, seconds, size, graceNanos, open);
	}

	/** Like the other, also noting each send's two clocks and its ack time in {@code hops} when not null. */
	static Measured run(String runId, Sender sender, SendLog sends, HopLog hops, DeliveryRecorder recorder, int step,
			int firstMsgNo, double perSecond, double seconds, int size, long graceNanos,
			java.util.function.IntPredicate open) {
		int count = OpenLoopSchedule.count(perSecond, seconds);
		long begin = System.nanoTime();
		OpenLoopSchedule.Progress progress = OpenLoopSchedule.startingNow(perSecond).run(count, (n, due) -> {
			int msgNo = firstMsgNo + n;
			String body = Body.format(runId, msgNo, due, size);
			long now = System.nanoTime();
			sends.sent(msgNo, now - due);
			if (hops == null) {
				sender.send(msgNo, body, () -> sends.accepted(msgNo));
			}
			else {
				hops.sent(msgNo, now, System.currentTimeMillis());
				sender.send(msgNo, body, () -> {
					hops.acked(msgNo, System.nanoTime());
					sends.accepted(msgNo);
				});
			}
		});
		double sentSeconds = (System.nanoTime() - begin) / 1e9;
		long deadline = System.nanoTime() + graceNanos;
		BitSet expected;
		DeliveryCounter.Counts counts;
		do {
			LockSupport.parkNanos(50_000_000);
			expected = accepted(sends, firstMsgNo, count);
			BitSet wanted = expected;
			counts = recorder.counter(step).counts(c -> open.test(c) ? wanted : NONE);
		}
		while ((counts.lost() > 0 || expected.cardinality() < count) && System.nanoTime() < deadline);
		double wall = (System.nanoTime() - begin) / 1e9;
		return new Measured(perSecond, sentSeconds, progress, expected.cardinality(), counts,
				recorder.fromSchedule(step).interval(), recorder.fromSend(step).interval(), wall);
	}

	static BitSet accepted(SendLog sends, int first, int count) {
		BitSet set = new BitSet(first + count);
		for (int msgNo = first; msgNo < first + count; msgNo++) {
			if (sends.isAccepted(msgNo)) {
				set.set(msgNo);
			}
		}
		return set;
	}

}
