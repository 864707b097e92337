package dev.chat.presence.signal;

/**
 * A record that was read but can never be applied (a required field missing or malformed):
 * dead-lettered at once, without retries.
 */
public class InvalidRecordException extends RuntimeException {

	public InvalidRecordException(String message) {
		super(message);
	}

}
