package dev.chat.room.room;

import java.time.Instant;

import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;

/**
 * A taken room name, in {@code room_names}: inserted before its room, so two rooms can never
 * share a name whatever the timing.
 *
 * @param id the case-folded name
 * @param roomId the room that took it
 * @param reservedAt when; a name whose room was never stored is given back after the outbox's
 * grace period
 */
@Document("room_names")
public record RoomName(@MongoId(FieldType.STRING) String id, String roomId, Instant reservedAt) {

}
