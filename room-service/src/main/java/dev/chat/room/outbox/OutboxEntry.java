package dev.chat.room.outbox;

import java.time.Duration;
import java.time.Instant;

import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;

/**
 * One event waiting to be published, in the {@code outbox} collection. The collection stays small:
 * entries are deleted once Kafka has acknowledged them, so the relay may scan it.
 *
 * @param id the event's {@code eventId}, fixed before the change is written
 * @param type the event's {@code type}, such as {@code member.joined}; selects the
 * {@link EventSource} that judges the change
 * @param roomId the record key
 * @param subject the {@code _id} of the document that carries the change and its evidence
 * @param payload the record value exactly as it will be published (the event's JSON), so a
 * re-publication carries the same bytes
 * @param state whether the change is confirmed stored
 * @param createdAt when the intent was written; orders publication and starts the grace period
 */
@Document("outbox")
public record OutboxEntry(@MongoId(FieldType.STRING) String id, String type, String roomId, String subject,
		String payload, State state, Instant createdAt) {

	/** Where an entry stands. */
	public enum State {

		/** Written before its change; the change may still fail or never happen. */
		INTENT,

		/** The change and everything that follows from it are stored: publish. */
		READY

	}

	boolean olderThan(Duration age, Instant now) {
		return createdAt.plus(age).isBefore(now);
	}

}
