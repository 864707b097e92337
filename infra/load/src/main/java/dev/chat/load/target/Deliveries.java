package dev.chat.load.target;

/** Where a {@link Target} hands every message it receives; called on an I/O thread, so it must not block. */
@FunctionalInterface
public interface Deliveries {

	/**
	 * @param connection the connection that received it
	 * @param body the message body exactly as published
	 * @param receivedNanos {@link System#nanoTime()} when the frame was read
	 */
	void delivered(Connection connection, String body, long receivedNanos);

}
