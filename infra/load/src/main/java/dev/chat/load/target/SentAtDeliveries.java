package dev.chat.load.target;

/**
 * {@link Deliveries} that also want the {@code sentAt} of each {@code message} frame (when
 * message-service stored it, epoch milliseconds). Only our gateway's frames carry it; a
 * {@link ChatConnection} given these parses it from the frame, every other one does not, so only
 * the one designated connection of a run pays for it.
 */
public interface SentAtDeliveries extends Deliveries {

	/** No {@code sentAt} in the frame (or not parseable). */
	long NO_SENT_AT = Long.MIN_VALUE;

	/**
	 * @param sentAtEpochMillis the frame's {@code sentAt}, or {@link #NO_SENT_AT}
	 */
	void delivered(Connection connection, String body, long receivedNanos, long sentAtEpochMillis);

	@Override
	default void delivered(Connection connection, String body, long receivedNanos) {
		delivered(connection, body, receivedNanos, NO_SENT_AT);
	}

}
