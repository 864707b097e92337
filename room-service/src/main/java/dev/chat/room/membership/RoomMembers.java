package dev.chat.room.membership;

import java.util.List;

import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;

/**
 * The members of one room, in {@code room_members}: what the members listing pages through and
 * the room's {@code memberCount} counts. One document per room, so a listing is one read by id;
 * it grows by about 40 bytes per member.
 *
 * @param id the room id
 */
@Document("room_members")
record RoomMembers(@MongoId(FieldType.STRING) String id, List<String> members) {

	List<String> membersOrEmpty() {
		return members != null ? members : List.of();
	}

}
