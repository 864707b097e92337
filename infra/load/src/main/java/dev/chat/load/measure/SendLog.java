package dev.chat.load.measure;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * How late each message actually went out compared with its schedule, by message number, so a
 * delivery's latency can be reported both from the schedule (coordinated omission corrected) and
 * from the actual send. Also marks which messages the server accepted (acked, or produced to
 * Kafka): only those are expected at the receivers.
 */
public final class SendLog {

	private static final long NOT_SENT = Long.MIN_VALUE;

	private final AtomicLongArray lag;

	private final AtomicLongArray accepted;

	public SendLog(int capacity) {
		this.lag = new AtomicLongArray(capacity);
		this.accepted = new AtomicLongArray((capacity + 63) / 64);
		for (int i = 0; i < capacity; i++) {
			lag.set(i, NOT_SENT);
		}
	}

	public int capacity() {
		return lag.length();
	}

	/** Records that message {@code msgNo} went out {@code lagNanos} after its scheduled time. */
	public void sent(int msgNo, long lagNanos) {
		lag.set(msgNo, lagNanos);
	}

	/** The send lag of a message, 0 if unknown (then both views agree). */
	public long lagNanos(int msgNo) {
		long value = msgNo < lag.length() ? lag.get(msgNo) : NOT_SENT;
		return value == NOT_SENT ? 0 : value;
	}

	public void accepted(int msgNo) {
		int word = msgNo >>> 6;
		long bit = 1L << (msgNo & 63);
		long old;
		do {
			old = accepted.get(word);
		}
		while ((old & bit) == 0 && !accepted.compareAndSet(word, old, old | bit));
	}

	public boolean isAccepted(int msgNo) {
		return msgNo < lag.length() && (accepted.get(msgNo >>> 6) & (1L << (msgNo & 63))) != 0;
	}

	/** The accepted messages as a bit set, for {@link DeliveryCounter#counts}. */
	public java.util.BitSet acceptedSet() {
		java.util.BitSet set = new java.util.BitSet(lag.length());
		for (int i = 0; i < lag.length(); i++) {
			if (isAccepted(i)) {
				set.set(i);
			}
		}
		return set;
	}

}
