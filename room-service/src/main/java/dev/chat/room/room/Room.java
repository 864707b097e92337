package dev.chat.room.room;

import java.time.Instant;

import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;

/**
 * A room, in {@code rooms}. Kept small: listing and search scan this collection.
 *
 * @param id the room id, 24 hex digits that sort in creation order (an ObjectId's text)
 * @param name the name as given, without surrounding white space
 * @param nameKey the case-folded name: the {@code _id} of its {@link RoomName} and what search
 * matches
 * @param ownerId the owner's user id; null once the last member, the owner, has left
 * @param memberCount members including the owner; changed only together with the room's member
 * list (see {@code membership})
 * @param createdEventId the id of the {@code room.created} event: the evidence the outbox looks
 * for
 * @param listKey the room's place in listings: increasing in the order rooms were inserted (see
 * {@link Rooms#insert}); null until then
 */
@Document("rooms")
public record Room(@MongoId(FieldType.STRING) String id, String name, String nameKey, String description,
		Visibility visibility, String ownerId, long memberCount, Instant createdAt, String createdEventId,
		String listKey) {

	Room withListKey(String key) {
		return new Room(id, name, nameKey, description, visibility, ownerId, memberCount, createdAt, createdEventId,
				key);
	}

	public boolean isPrivate() {
		return visibility == Visibility.PRIVATE;
	}

	public boolean isOwnedBy(String userId) {
		return userId.equals(ownerId);
	}

}
