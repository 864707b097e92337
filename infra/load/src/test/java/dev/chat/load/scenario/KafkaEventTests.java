package dev.chat.load.scenario;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import dev.chat.common.events.MessageEvent;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaEventTests {

	@Test
	void anInjectedEventIsTheJsonTheGatewayReadsFromChatMessages() {
		MessageEvent event = new MessageEvent.MessageCreated(UUID.randomUUID(), 1, "room-1", 7, "m-1", "u-1", "c-1",
				"run:1:2:xx", Instant.parse("2026-01-01T00:00:00Z"));

		String json = Sender.ToKafka.json(event);

		assertThat(json).contains("\"type\":\"message.created\"", "\"seq\":7", "\"body\":\"run:1:2:xx\"");
		assertThat(JsonMapper.builder().build().readValue(json, MessageEvent.class)).isEqualTo(event);
	}

}
