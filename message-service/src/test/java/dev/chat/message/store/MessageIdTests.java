package dev.chat.message.store;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MessageIdTests {

	@Test
	void anIdIsTheRoomAndTheSeqOfTheMessagesCreation() {
		assertThat(new MessageId("room-a", 42)).hasToString("room-a-42");
		assertThat(MessageId.parse("room-a", "room-a-42")).contains(new MessageId("room-a", 42));
	}

	@Test
	void roomIdsWithDashesParseAgainstTheirRoom() {
		assertThat(MessageId.parse("a-b", "a-b-7")).contains(new MessageId("a-b", 7));
		assertThat(MessageId.parse("a", "a-b-7")).isEmpty();
	}

	@Test
	void malformedIdsAreRefused() {
		for (String id : new String[] { "room-a-0", "room-a-007", "room-a--1", "room-a-+1", "room-a-", "room-a",
				"room-b-1", "room-a-1x", "room-a-1234567890123456789", null }) {
			assertThat(MessageId.parse("room-a", id)).as(String.valueOf(id)).isEmpty();
		}
	}

}
