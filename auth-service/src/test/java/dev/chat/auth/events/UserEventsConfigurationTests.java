package dev.chat.auth.events;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.chat.common.events.UserEvent;

import static org.assertj.core.api.Assertions.assertThat;

/** The wire format of {@code chat.users} values as auth-service writes them. */
class UserEventsConfigurationTests {

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void valuesCarryTheTypeDiscriminatorAndNoTypeHeaders() {
		RecordHeaders headers = new RecordHeaders();
		byte[] value = UserEventsConfiguration.serializer(json)
			.serialize("chat.users", headers, UserEvent.UserRegistered.of("id-dan", "dan", "Dan"));

		JsonNode written = json.readTree(value);
		assertThat(written.path("type").asString()).isEqualTo("user.registered");
		assertThat(written.path("userId").asString()).isEqualTo("id-dan");
		assertThat(written.path("occurredAt").isString()).as("ISO-8601 instant").isTrue();
		assertThat(headers.toArray()).isEmpty();
	}

	@Test
	void valuesReadBackAsTheSameEvent() {
		UserEvent.UserLoggedOut event = UserEvent.UserLoggedOut.of("id-dan", "session-1");
		byte[] value = UserEventsConfiguration.serializer(json).serialize("chat.users", event);

		assertThat(json.readValue(value, UserEvent.class)).isEqualTo(event);
	}

}
