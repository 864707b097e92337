package dev.chat.load.measure;

import java.util.BitSet;
import java.util.function.IntFunction;

/**
 * Counts what each connection received, by message number: a bit set per connection tells a
 * message received once from a duplicate, and at the end the expected messages missing from it
 * are the lost ones. A connection's deliveries arrive on its one I/O thread; the lock per
 * connection is uncontended and only makes the final count see every write.
 */
public final class DeliveryCounter {

	private final Receipts[] connections;

	private final long lateNanos;

	/**
	 * @param connections how many connections, numbered from 0
	 * @param lateNanos a delivery slower than this is counted late (it still counts as received)
	 */
	public DeliveryCounter(int connections, long lateNanos) {
		this.connections = new Receipts[connections];
		for (int i = 0; i < connections; i++) {
			this.connections[i] = new Receipts();
		}
		this.lateNanos = lateNanos;
	}

	/** Records a delivery; returns false for a duplicate. */
	public boolean received(int connection, int msgNo, long latencyNanos) {
		return connections[connection].add(msgNo, latencyNanos > lateNanos);
	}

	/** Whether {@code connection} has every message of {@code expected} (for recovery checks). */
	public boolean hasAll(int connection, BitSet expected) {
		return connections[connection].hasAll(expected);
	}

	/** The expected messages connection {@code connection} has not received. */
	public BitSet missing(int connection, BitSet expected) {
		Receipts receipts = connections[connection];
		synchronized (receipts) {
			BitSet missing = (BitSet) expected.clone();
			missing.andNot(receipts.seen);
			return missing;
		}
	}

	/** The counts when every connection expected the same messages. */
	public Counts counts(BitSet expected) {
		return counts(connection -> expected);
	}

	/** The counts over all connections, each expecting the messages {@code expectedFor} gives it. */
	public Counts counts(IntFunction<BitSet> expectedFor) {
		long expected = 0, received = 0, lost = 0, duplicated = 0, late = 0, unexpected = 0;
		for (int i = 0; i < connections.length; i++) {
			BitSet wanted = expectedFor.apply(i);
			Receipts receipts = connections[i];
			synchronized (receipts) {
				BitSet missing = (BitSet) wanted.clone();
				missing.andNot(receipts.seen);
				BitSet extra = (BitSet) receipts.seen.clone();
				extra.andNot(wanted);
				expected += wanted.cardinality();
				received += wanted.cardinality() - missing.cardinality();
				lost += missing.cardinality();
				unexpected += extra.cardinality();
				duplicated += receipts.duplicates;
				late += receipts.late;
			}
		}
		return new Counts(expected, received, lost, duplicated, late, unexpected);
	}

	/**
	 * @param expected deliveries expected (accepted messages times their receivers)
	 * @param received distinct deliveries of expected messages
	 * @param lost expected but never received
	 * @param duplicated received again after the first time
	 * @param late received, but slower than the late threshold
	 * @param unexpected received but never accepted by the server as far as the sender knows
	 *     (a send whose ack was lost, or a message still in flight when the step ended)
	 */
	public record Counts(long expected, long received, long lost, long duplicated, long late, long unexpected) {

		public Counts plus(Counts other) {
			return new Counts(expected + other.expected, received + other.received, lost + other.lost,
					duplicated + other.duplicated, late + other.late, unexpected + other.unexpected);
		}

	}

	private static final class Receipts {

		final BitSet seen = new BitSet();

		long duplicates;

		long late;

		synchronized boolean add(int msgNo, boolean isLate) {
			if (seen.get(msgNo)) {
				duplicates++;
				return false;
			}
			seen.set(msgNo);
			if (isLate) {
				late++;
			}
			return true;
		}

		synchronized boolean hasAll(BitSet expected) {
			for (int i = expected.nextSetBit(0); i >= 0; i = expected.nextSetBit(i + 1)) {
				if (!seen.get(i)) {
					return false;
				}
			}
			return true;
		}

	}

}
