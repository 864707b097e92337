package dev.chat.message.kafka;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.serialization.Serializer;
import tools.jackson.databind.json.JsonMapper;

import dev.chat.common.events.MessageCommand;
import dev.chat.common.events.MessageEvent;
import dev.chat.common.events.RoomEvent;

/**
 * Record values as the platform's JSON: events and commands with their {@code type} property
 * (written for the sealed family, whatever the record's own class), no type headers (every
 * consumer reads the family from the topic). Raw bytes pass through unchanged: they are what the
 * dead-letter recoverer republishes for a record that could not be deserialized.
 */
public final class JsonValueSerializer implements Serializer<Object> {

	private final JsonMapper json;

	public JsonValueSerializer(JsonMapper json) {
		this.json = json;
	}

	@Override
	public byte[] serialize(String topic, Object value) {
		return switch (value) {
			case null -> null;
			case byte[] bytes -> bytes;
			case String text -> text.getBytes(StandardCharsets.UTF_8);
			case MessageEvent event -> json.writerFor(MessageEvent.class).writeValueAsBytes(event);
			case MessageCommand command -> json.writerFor(MessageCommand.class).writeValueAsBytes(command);
			case RoomEvent event -> json.writerFor(RoomEvent.class).writeValueAsBytes(event);
			default -> json.writeValueAsBytes(value);
		};
	}

}
