package dev.chat.presence.membership;

import java.time.Instant;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.support.Acknowledgment;
import org.springframework.stereotype.Component;

import dev.chat.common.events.RoomEvent;
import dev.chat.common.kafka.Topics;
import dev.chat.presence.Ids;
import dev.chat.presence.signal.InvalidRecordException;

/**
 * Keeps the membership projection from {@code chat.rooms}: the owner of a created room and every
 * user who joined are members; a user who left is not. One room's events share a partition, so
 * they are applied in order by one thread.
 */
@Component
class MembershipListener {

	private final MembershipStore memberships;

	MembershipListener(MembershipStore memberships) {
		this.memberships = memberships;
	}

	@KafkaListener(id = "presence-memberships", topics = Topics.ROOMS, groupId = "${chat.presence.consumer-group}",
			containerFactory = "roomEventContainerFactory")
	void onRoomEvent(ConsumerRecord<String, RoomEvent> record, Acknowledgment ack) {
		RoomEvent event = record.value();
		if (event == null || !Ids.isRoomId(event.roomId())) {
			throw new InvalidRecordException("a room event needs a well-formed roomId");
		}
		Instant at = event.occurredAt() != null ? event.occurredAt() : Instant.EPOCH;
		switch (event) {
			case RoomEvent.RoomCreated created -> memberships.record(created.roomId(), user(created.ownerId()), true, at);
			case RoomEvent.MemberJoined joined -> memberships.record(joined.roomId(), user(joined.userId()), true, at);
			case RoomEvent.MemberLeft left -> memberships.record(left.roomId(), user(left.userId()), false, at);
			case RoomEvent.MemberInvited invited -> {
				// An invitation is not a membership: the user still has to join.
			}
		}
		ack.acknowledge();
	}

	private static String user(String userId) {
		if (!Ids.isId(userId)) {
			throw new InvalidRecordException("a membership event needs a userId");
		}
		return userId;
	}

}
