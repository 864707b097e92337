package dev.chat.message.membership;

import java.time.Duration;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import dev.chat.common.events.RoomEvent;
import dev.chat.common.kafka.Topics;
import dev.chat.message.MessageRules;
import dev.chat.message.kafka.KafkaConfiguration;

/**
 * Feeds the membership projection from {@code chat.rooms}, one record at a time in partition
 * order (a room's events share a partition, so they are applied in the order room-service
 * published them). The offset is committed after the record is applied; a failure is retried
 * with back-off and then goes to {@code chat.rooms.dlt} (see {@link KafkaConfiguration}).
 */
@Component
class MembershipListener {

	private static final Logger log = LoggerFactory.getLogger(MembershipListener.class);

	/** Longer than the driver's own timeouts: a hung store fails the record, which is retried. */
	private static final Duration APPLY_TIMEOUT = Duration.ofSeconds(60);

	private final Memberships memberships;

	MembershipListener(Memberships memberships) {
		this.memberships = memberships;
	}

	@KafkaListener(id = "membership-projection", idIsGroup = false, topics = Topics.ROOMS,
			containerFactory = KafkaConfiguration.ROOM_EVENTS_FACTORY)
	void onRoomEvent(ConsumerRecord<String, RoomEvent> record) {
		RoomEvent event = record.value();
		if (event == null) {
			return;
		}
		if (!MessageRules.isRoomId(event.roomId())) {
			log.atWarn()
				.addKeyValue("roomId", event.roomId())
				.addKeyValue("eventId", event.eventId())
				.log("ignoring a room event whose room id this service cannot store");
			return;
		}
		memberships.apply(event).block(APPLY_TIMEOUT);
		log.atDebug()
			.addKeyValue("roomId", event.roomId())
			.addKeyValue("eventId", event.eventId())
			.addKeyValue("type", event.getClass().getSimpleName())
			.log("room event applied");
	}

}
