package dev.chat.room.outbox;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.chat.common.events.RoomEvent;

import static org.assertj.core.api.Assertions.assertThat;

/** The record value the outbox stores and publishes, as consumers decode it. */
class OutboxPayloadTests {

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void aRoomEventIsWrittenWithItsTypeOnceAndReadBackAsTheSameEvent() {
		RoomEvent event = RoomEvent.MemberJoined.of("0123456789abcdef01234567", "user-1", "member",
				Instant.parse("2026-01-02T03:04:05.678Z"));

		String payload = json.writerFor(RoomEvent.class).writeValueAsString(event);

		JsonNode tree = json.readTree(payload);
		assertThat(tree.get("type").asString()).isEqualTo("member.joined");
		assertThat(payload.split("\"type\"", -1)).hasSize(2);
		assertThat(tree.get("eventId").asString()).isEqualTo(event.eventId().toString());
		assertThat(tree.get("occurredAt").asString()).isEqualTo("2026-01-02T03:04:05.678Z");
		assertThat(json.readValue(payload, RoomEvent.class)).isEqualTo(event);
	}

	@Test
	void everyEventTypeNamesItself() {
		Instant now = Instant.now();
		assertThat(RoomEvent.RoomCreated.of("r", "n", "public", "o", now).type()).isEqualTo("room.created");
		assertThat(RoomEvent.MemberJoined.of("r", "u", "member", now).type()).isEqualTo("member.joined");
		assertThat(RoomEvent.MemberLeft.of("r", "u", now).type()).isEqualTo("member.left");
		assertThat(RoomEvent.MemberInvited.of("r", "u", "o", now).type()).isEqualTo("member.invited");
	}

}
