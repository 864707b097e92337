package dev.chat.message.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import dev.chat.common.events.MessageCommand;
import dev.chat.common.events.MessageEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonValueSerializerTests {

	private final JsonMapper json = JsonMapper.builder().build();

	private final JsonValueSerializer serializer = new JsonValueSerializer(json);

	@Test
	void eventsCarryTheirTypeAndReadBackAsTheFamily() {
		MessageEvent.MessageCreated created = new MessageEvent.MessageCreated(UUID.randomUUID(), 1, "r", 7, "r-7", "u",
				"c", "hi", Instant.parse("2026-01-01T00:00:00.123Z"));

		String text = new String(serializer.serialize("chat.messages", created), StandardCharsets.UTF_8);

		assertThat(text).contains("\"type\":\"message.created\"").contains("\"sentAt\":\"2026-01-01T00:00:00.123Z\"");
		assertThat(json.readValue(text, MessageEvent.class)).isEqualTo(created);
	}

	@Test
	void commandsRoundTripThroughTheDeserializer() {
		MessageCommand.SendMessage send = MessageCommand.SendMessage.of("r", "u", "c", "hi");

		byte[] bytes = serializer.serialize("chat.messages.inbound", send);

		assertThat(new JsonValueDeserializer<>(json, MessageCommand.class).deserialize("t", bytes)).isEqualTo(send);
	}

	@Test
	void unknownPropertiesAreIgnoredAndGarbageIsRefused() {
		JsonValueDeserializer<MessageCommand> deserializer = new JsonValueDeserializer<>(json, MessageCommand.class);
		String withExtra = """
				{"type":"message.delete","commandId":"%s","version":2,"receivedAt":"2026-01-01T00:00:00Z",
				 "roomId":"r","userId":"u","messageId":"r-1","reason":"a field added later"}"""
			.formatted(UUID.randomUUID());

		assertThat(deserializer.deserialize("t", withExtra.getBytes(StandardCharsets.UTF_8)))
			.isInstanceOf(MessageCommand.DeleteMessage.class);
		assertThatThrownBy(() -> deserializer.deserialize("t", "{\"type\":\"nope\"}".getBytes(StandardCharsets.UTF_8)))
			.isInstanceOf(org.apache.kafka.common.errors.SerializationException.class);
	}

	@Test
	void rawBytesPassThroughForTheDeadLetterTopic() {
		byte[] raw = { 1, 2, 3 };
		assertThat(serializer.serialize("t", raw)).isSameAs(raw);
	}

}
