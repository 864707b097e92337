package dev.chat.message.kafka;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Record values of one sealed family, from the platform's JSON (the {@code type} property picks
 * the record). Unknown properties are ignored, so producers may add fields. Wrapped in an
 * {@code ErrorHandlingDeserializer}: a record that fails here goes to the dead-letter topic
 * without retries.
 *
 * @param <T> the family
 */
public final class JsonValueDeserializer<T> implements Deserializer<T> {

	private final JsonMapper json;

	private final Class<T> type;

	public JsonValueDeserializer(JsonMapper json, Class<T> type) {
		this.json = json;
		this.type = type;
	}

	@Override
	public T deserialize(String topic, byte[] data) {
		if (data == null) {
			return null;
		}
		try {
			return json.readValue(data, type);
		}
		catch (JacksonException ex) {
			throw new SerializationException("not a " + type.getSimpleName() + " on " + topic + ": "
					+ ex.getOriginalMessage(), ex);
		}
	}

}
