package dev.chat.message.pipeline;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import dev.chat.common.events.MessageCommand;
import dev.chat.common.events.MessageEvent;
import dev.chat.common.events.RoomEvent;
import dev.chat.message.MessageServiceTest;
import dev.chat.message.membership.Memberships;
import dev.chat.message.store.Claim;
import dev.chat.message.store.Entry;
import dev.chat.message.store.MessageStore;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link SendStep} on its own, against FerretDB, with runs put together by the test: what a
 * polled batch may or may not happen to contain.
 */
@MessageServiceTest
class SendStepIntegrationTests {

	@Autowired
	private SendStep step;

	@Autowired
	private MessageStore store;

	@Autowired
	private Memberships memberships;

	@Test
	void aDuplicateInTheMiddleOfARunIsAnsweredAndTheOthersCloseUp() {
		String roomId = room();
		RoomState room = new RoomState(roomId, 0, memberships);
		MessageCommand.SendMessage first = send(roomId, "m-1");
		step.apply(List.of(new SendStep.Run(room, commands(first)))).block();

		step.apply(List.of(new SendStep.Run(room, commands(send(roomId, "m-2"), send(roomId, "m-1"), send(roomId, "m-3")))))
			.block();

		List<MessageEvent.MessageCreated> events = room.events().stream().map(MessageEvent.MessageCreated.class::cast).toList();
		assertThat(events).extracting(MessageEvent.MessageCreated::clientMsgId).containsExactly("m-1", "m-2", "m-1", "m-3");
		assertThat(events).extracting(MessageEvent.MessageCreated::seq).containsExactly(1L, 2L, 1L, 3L);
		assertThat(events.get(2)).isEqualTo(events.get(0));
		assertThat(room.lastSeq).isEqualTo(3);
		assertThat(store.claimedSeq(Claim.keyOf(roomId, "alice", "m-3")).block()).as("m-3's key, renumbered").isEqualTo(3);
		assertThat(store.bucket(roomId, 0).block().entries()).extracting(Entry::seq).containsExactly(1L, 2L, 3L);
	}

	@Test
	void runsOfSeveralRoomsAreStoredTogether() {
		List<RoomState> rooms = new ArrayList<>();
		List<SendStep.Run> runs = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			RoomState room = new RoomState(room(), 0, memberships);
			rooms.add(room);
			runs.add(new SendStep.Run(room, commands(send(room.roomId, "a"), send(room.roomId, "b"), send(room.roomId, "a"))));
		}

		step.apply(runs).block();

		for (RoomState room : rooms) {
			assertThat(room.events()).extracting(event -> ((MessageEvent.MessageCreated) event).seq())
				.containsExactly(1L, 2L, 1L);
			assertThat(store.bucket(room.roomId, 0).block().entries()).extracting(Entry::seq).containsExactly(1L, 2L);
		}
	}

	private String room() {
		String roomId = "room-" + UUID.randomUUID();
		memberships.apply(new RoomEvent.RoomCreated(UUID.randomUUID(), 1, Instant.now(), roomId, "r", "public", "alice"))
			.block();
		return roomId;
	}

	private static MessageCommand.SendMessage send(String roomId, String clientMsgId) {
		return MessageCommand.SendMessage.of(roomId, "alice", clientMsgId, "body of " + clientMsgId);
	}

	private static List<Command> commands(MessageCommand... commands) {
		List<Command> list = new ArrayList<>();
		for (MessageCommand command : commands) {
			list.add(new Command(list.size(), command.roomId(), command));
		}
		return list;
	}

}
