package dev.chat.load.measure;

import java.util.concurrent.atomic.LongAdder;

/**
 * The receiving side of a run: each body delivered to connection {@code i} is parsed, counted
 * once per connection and message, and its latency recorded twice: from the scheduled send
 * (coordinated omission corrected) and from the actual send. Runs of several steps route a
 * message to its step by number, so a straggler of step 1 arriving during step 2 still counts
 * for step 1.
 */
public final class DeliveryRecorder {

	private final String runId;

	private final SendLog sends;

	private final int[] stepStarts;

	private final DeliveryCounter[] counters;

	private final LatencyRecorder[] fromSchedule;

	private final LatencyRecorder[] fromSend;

	private final LongAdder foreign = new LongAdder();

	/**
	 * @param stepStarts the first message number of each step, ascending, starting with 0
	 */
	public DeliveryRecorder(String runId, SendLog sends, int connections, long lateNanos, int... stepStarts) {
		this.runId = runId;
		this.sends = sends;
		this.stepStarts = stepStarts.length == 0 ? new int[] { 0 } : stepStarts.clone();
		int steps = this.stepStarts.length;
		this.counters = new DeliveryCounter[steps];
		this.fromSchedule = new LatencyRecorder[steps];
		this.fromSend = new LatencyRecorder[steps];
		for (int s = 0; s < steps; s++) {
			counters[s] = new DeliveryCounter(connections, lateNanos);
			fromSchedule[s] = new LatencyRecorder();
			fromSend[s] = new LatencyRecorder();
		}
	}

	/** A delivery on connection {@code connection}, on its I/O thread. */
	public void delivered(int connection, String body, long receivedNanos) {
		Body parsed = Body.parse(body, runId);
		if (parsed == null || parsed.msgNo() >= sends.capacity()) {
			foreign.increment();
			return;
		}
		int step = stepOf(parsed.msgNo());
		long latency = receivedNanos - parsed.sentNanos();
		if (counters[step].received(connection, parsed.msgNo(), latency)) {
			fromSchedule[step].recordNanos(latency);
			fromSend[step].recordNanos(latency - sends.lagNanos(parsed.msgNo()));
		}
	}

	private int stepOf(int msgNo) {
		int step = 0;
		while (step + 1 < stepStarts.length && stepStarts[step + 1] <= msgNo) {
			step++;
		}
		return step;
	}

	public DeliveryCounter counter(int step) {
		return counters[step];
	}

	public LatencyRecorder fromSchedule(int step) {
		return fromSchedule[step];
	}

	public LatencyRecorder fromSend(int step) {
		return fromSend[step];
	}

	/** Bodies that were not this run's (another run's messages replayed in a reused room). */
	public long foreign() {
		return foreign.sum();
	}

}
