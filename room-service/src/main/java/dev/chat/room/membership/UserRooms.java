package dev.chat.room.membership;

import java.util.List;

import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;

/**
 * The rooms of one user, in {@code user_rooms}.
 *
 * @param id the user id
 * @param rooms every room the user is a member of
 * @param privateRooms those of {@code rooms} that are private: the listing adds them to the public
 * rooms, so they are kept apart to keep that query small
 */
@Document("user_rooms")
public record UserRooms(@MongoId(FieldType.STRING) String id, List<String> rooms, List<String> privateRooms) {

	static UserRooms none(String userId) {
		return new UserRooms(userId, List.of(), List.of());
	}

	public List<String> roomsOrEmpty() {
		return rooms != null ? rooms : List.of();
	}

	public List<String> privateRoomsOrEmpty() {
		return privateRooms != null ? privateRooms : List.of();
	}

}
