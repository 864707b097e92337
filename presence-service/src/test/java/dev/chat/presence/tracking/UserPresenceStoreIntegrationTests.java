package dev.chat.presence.tracking;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

import dev.chat.test.service.ChatServiceTest;

import static dev.chat.presence.support.PresenceHarness.id;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A batch of users larger than FerretDB can update in one command (100 existing documents wedge
 * the database for good; see {@link dev.chat.common.mongo.BulkWrites}) is stored, and stored again
 * over itself, and reads back as written.
 */
@ChatServiceTest
@DirtiesContext
@TestPropertySource(properties = "chat.presence.consumer-group=user-presence-store-tests")
class UserPresenceStoreIntegrationTests {

	private static final int USERS = 300;

	@Autowired
	private UserPresenceStore store;

	@Test
	void hundredsOfUsersAreStoredAndOverwrittenInOneBatch() {
		Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		List<String> ids = IntStream.range(0, USERS).mapToObj(i -> id("user" + i)).toList();
		String room = id("room");

		store.saveAll(ids.stream().map(id -> online(id, "before", room, now)).toList());
		List<UserPresence> after = ids.stream().map(id -> online(id, "after", room, now)).toList();
		store.saveAll(after);

		store.forget(ids);
		assertThat(ids.stream().map(store::find).toList()).containsExactlyElementsOf(after);
	}

	private static UserPresence online(String userId, String username, String roomId, Instant now) {
		return new UserPresence(userId, username,
				List.of(new UserPresence.Connection(id("connection"), "node-1", "incarnation-1", now, List.of(roomId))),
				List.of(new UserPresence.Online(roomId, now)), List.of(), List.of(id("ended")),
				new UserPresence.Applied(0, 1));
	}

}
