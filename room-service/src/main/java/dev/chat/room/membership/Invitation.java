package dev.chat.room.membership;

import java.time.Instant;

import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;

/**
 * An invitation to a room, in {@code invitations}. Inserted once (a second invitation of the same
 * user is the same invitation) and never changed.
 *
 * @param id {@code "{roomId}:{userId}"}
 * @param invitedBy the owner or admin who invited
 * @param eventId the {@code member.invited} event: the outbox's evidence
 */
@Document("invitations")
record Invitation(@MongoId(FieldType.STRING) String id, String roomId, String userId, String invitedBy,
		Instant invitedAt, String eventId) {

}
