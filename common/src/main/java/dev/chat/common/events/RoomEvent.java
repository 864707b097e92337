package dev.chat.common.events;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * Events on {@code chat.rooms}, keyed by {@code roomId}, published by room-service. The other
 * services learn about rooms only from these: message-service and presence-service keep
 * membership projections, gateways turn joins and leaves into {@code member} frames.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({ @JsonSubTypes.Type(value = RoomEvent.RoomCreated.class, name = RoomEvent.RoomCreated.TYPE),
		@JsonSubTypes.Type(value = RoomEvent.MemberJoined.class, name = RoomEvent.MemberJoined.TYPE),
		@JsonSubTypes.Type(value = RoomEvent.MemberLeft.class, name = RoomEvent.MemberLeft.TYPE),
		@JsonSubTypes.Type(value = RoomEvent.MemberInvited.class, name = RoomEvent.MemberInvited.TYPE) })
public sealed interface RoomEvent {

	/**
	 * Unique per event and fixed when the change is stored, so a record published again after a
	 * crash of room-service carries the same id; consumers use it to drop redeliveries.
	 */
	UUID eventId();

	/** The schema version of this event type. */
	int version();

	/** When the change was stored, at room-service. */
	Instant occurredAt();

	/** The room; the record key. */
	String roomId();

	/** The {@code type} property of this event in JSON, such as {@code member.joined}. */
	default String type() {
		return switch (this) {
			case RoomCreated created -> RoomCreated.TYPE;
			case MemberJoined joined -> MemberJoined.TYPE;
			case MemberLeft left -> MemberLeft.TYPE;
			case MemberInvited invited -> MemberInvited.TYPE;
		};
	}

	/**
	 * A room was created; its creator is its owner and first member (no separate
	 * {@link MemberJoined} is published for the owner).
	 *
	 * @param visibility {@code public} or {@code private}
	 */
	record RoomCreated(UUID eventId, int version, Instant occurredAt, String roomId, String name,
			String visibility, String ownerId) implements RoomEvent {

		public static final String TYPE = "room.created";

		/** Version 1 of the event, with a fresh id, for a room stored at {@code occurredAt}. */
		public static RoomCreated of(String roomId, String name, String visibility, String ownerId,
				Instant occurredAt) {
			return new RoomCreated(UUID.randomUUID(), 1, occurredAt, roomId, name, visibility, ownerId);
		}

	}

	/**
	 * A user became a member.
	 *
	 * @param role {@code owner} or {@code member}
	 */
	record MemberJoined(UUID eventId, int version, Instant occurredAt, String roomId, String userId, String role)
			implements RoomEvent {

		public static final String TYPE = "member.joined";

		public static MemberJoined of(String roomId, String userId, String role, Instant occurredAt) {
			return new MemberJoined(UUID.randomUUID(), 1, occurredAt, roomId, userId, role);
		}

	}

	/** A user stopped being a member. */
	record MemberLeft(UUID eventId, int version, Instant occurredAt, String roomId, String userId)
			implements RoomEvent {

		public static final String TYPE = "member.left";

		public static MemberLeft of(String roomId, String userId, Instant occurredAt) {
			return new MemberLeft(UUID.randomUUID(), 1, occurredAt, roomId, userId);
		}

	}

	/**
	 * A user was invited to a private room and may now join it.
	 *
	 * @param invitedBy the owner or admin who invited
	 */
	record MemberInvited(UUID eventId, int version, Instant occurredAt, String roomId, String userId,
			String invitedBy) implements RoomEvent {

		public static final String TYPE = "member.invited";

		public static MemberInvited of(String roomId, String userId, String invitedBy, Instant occurredAt) {
			return new MemberInvited(UUID.randomUUID(), 1, occurredAt, roomId, userId, invitedBy);
		}

	}

}
