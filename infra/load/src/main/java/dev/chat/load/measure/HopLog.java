package dev.chat.load.measure;

import java.util.concurrent.atomic.AtomicLongArray;

import org.HdrHistogram.Histogram;

/**
 * Where the time of one message goes on the full send path ({@code fanout --mode=full}), by
 * message number: when it was sent (both clocks: {@link System#nanoTime()} and the epoch
 * milliseconds, since message-service's {@code sentAt} is on the epoch clock), when the sender's
 * {@code ack} came (Kafka took the send), and, for the one designated subscriber connection, the
 * {@code sentAt} its {@code message} frame carried (message-service stored it) and when it was read.
 * Three hops follow: send→ack (gateway + Kafka write), ack→stored (message-service consume and
 * store), stored→delivered (publish, Kafka, gateway fan-out, socket). The epoch instants of the
 * ack and the delivery are the send's epoch milliseconds plus the nanoTime elapsed since, so only
 * one epoch reading per message is taken; {@code sentAt} has millisecond resolution, so the two
 * hops around it are only good to about a millisecond (and may come out slightly negative).
 */
public final class HopLog {

	static final long NONE = Long.MIN_VALUE;

	private final AtomicLongArray sendNanos;

	private final AtomicLongArray sendMillis;

	private final AtomicLongArray ackNanos;

	private final AtomicLongArray receivedNanos;

	private final AtomicLongArray sentAtMillis;

	public HopLog(int capacity) {
		sendNanos = filled(capacity);
		sendMillis = filled(capacity);
		ackNanos = filled(capacity);
		receivedNanos = filled(capacity);
		sentAtMillis = filled(capacity);
	}

	private static AtomicLongArray filled(int capacity) {
		AtomicLongArray array = new AtomicLongArray(capacity);
		for (int i = 0; i < capacity; i++) {
			array.set(i, NONE);
		}
		return array;
	}

	private boolean inRange(int msgNo) {
		return msgNo >= 0 && msgNo < sendNanos.length();
	}

	/** Message {@code msgNo} went out now: {@code nanos} from nanoTime, {@code epochMillis} from currentTimeMillis. */
	public void sent(int msgNo, long nanos, long epochMillis) {
		if (inRange(msgNo)) {
			sendNanos.set(msgNo, nanos);
			sendMillis.set(msgNo, epochMillis);
		}
	}

	/** Its ack arrived at {@code nanos}. */
	public void acked(int msgNo, long nanos) {
		if (inRange(msgNo)) {
			ackNanos.set(msgNo, nanos);
		}
	}

	/** The designated subscriber read it at {@code nanos}; its frame said {@code sentAt} (epoch ms, {@link #NONE} if absent). */
	public void delivered(int msgNo, long nanos, long sentAtEpochMillis) {
		if (inRange(msgNo) && sentAtEpochMillis != NONE) {
			receivedNanos.compareAndSet(msgNo, NONE, nanos);
			sentAtMillis.compareAndSet(msgNo, NONE, sentAtEpochMillis);
		}
	}

	/** One message's hops, in milliseconds. */
	public record Hop(double sendToAck, double ackToStored, double storedToDelivered) {

		public double sendToDelivered() {
			return sendToAck + ackToStored + storedToDelivered;
		}

	}

	/** The hops of one message from its five readings. */
	public static Hop hop(long sendNanos, long sendEpochMillis, long ackNanos, long sentAtEpochMillis,
			long receivedNanos) {
		double sendToAck = (ackNanos - sendNanos) / 1e6;
		double ackEpochMillis = sendEpochMillis + sendToAck;
		double receivedEpochMillis = sendEpochMillis + (receivedNanos - sendNanos) / 1e6;
		return new Hop(sendToAck, sentAtEpochMillis - ackEpochMillis, receivedEpochMillis - sentAtEpochMillis);
	}

	/**
	 * The breakdown over messages {@code first .. first+count-1} that have all five readings.
	 *
	 * @param negative hops that came out below zero (clock resolution; recorded as 0)
	 */
	public record Breakdown(long samples, LatencySummary sendToAck, LatencySummary ackToStored,
			LatencySummary storedToDelivered, LatencySummary sendToDelivered, long negative) {
	}

	public Breakdown breakdown(int first, int count) {
		Histogram[] histograms = { histogram(), histogram(), histogram(), histogram() };
		long samples = 0, negative = 0;
		for (int msgNo = Math.max(0, first); msgNo < Math.min(first + count, sendNanos.length()); msgNo++) {
			long send = sendNanos.get(msgNo), ack = ackNanos.get(msgNo), received = receivedNanos.get(msgNo);
			long millis = sendMillis.get(msgNo), sentAt = sentAtMillis.get(msgNo);
			if (send == NONE || ack == NONE || received == NONE || millis == NONE || sentAt == NONE) {
				continue;
			}
			Hop hop = hop(send, millis, ack, sentAt, received);
			double[] values = { hop.sendToAck(), hop.ackToStored(), hop.storedToDelivered(), hop.sendToDelivered() };
			for (int i = 0; i < values.length; i++) {
				if (values[i] < 0) {
					negative++;
				}
				histograms[i].recordValue(Math.min(MAX_MICROS, Math.max(0, Math.round(values[i] * 1000))));
			}
			samples++;
		}
		return new Breakdown(samples, LatencySummary.of(histograms[0]), LatencySummary.of(histograms[1]),
				LatencySummary.of(histograms[2]), LatencySummary.of(histograms[3]), negative);
	}

	private static final long MAX_MICROS = 60_000_000;

	private static Histogram histogram() {
		return new Histogram(MAX_MICROS, 3);
	}

	/** The "none" marker of the epoch readings (a frame without {@code sentAt}). */
	public static long none() {
		return NONE;
	}

}
