package dev.chat.e2e.rooms;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.chat.e2e.support.Keycloak;
import dev.chat.e2e.support.TestStackExtension;
import dev.chat.stack.Component;
import dev.chat.stack.Stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The stack's Kafka broker is stopped while a room is created: the request still succeeds, the
 * room's event is published once the broker is back, and no event of the room is published
 * twice (counted by {@code eventId}).
 */
@ExtendWith(TestStackExtension.class)
class RoomEventsKafkaOutageIntegrationTests {

	@Test
	void aRoomCreatedWhileKafkaIsStoppedIsPublishedOnceKafkaIsBack(Stack stack, Keycloak keycloak) throws Exception {
		RoomsClient rooms = new RoomsClient(stack.config().ports().gateway());
		String alice = keycloak.accessToken("alice");
		String bob = keycloak.accessToken("bob");
		Component kafka = stack.component("kafka");

		kafka.stop();
		RoomsClient.Answer created;
		RoomsClient.Answer joined;
		try {
			assertThat(kafka.isRunning()).isFalse();
			created = rooms.create(alice, "Outage " + UUID.randomUUID(), "public");
			joined = rooms.join(bob, created.id());
		}
		finally {
			stack.start(kafka);
		}

		assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(201);
		assertThat(joined.status()).isEqualTo(200);
		// room-service's readiness includes Kafka: it says when room-service has seen it back. (Only
		// room-service: how the other services take the outage is for their own tests.)
		Component roomService = stack.component("room-service");
		await("room-service ready").atMost(Duration.ofMinutes(2))
			.pollInterval(Duration.ofSeconds(1))
			.until(roomService::isReady);
		try (RoomEventsReader reader = new RoomEventsReader(stack.config().kafkaBootstrap())) {
			reader.awaitRoom(created.id(), events -> events.size() >= 2, Duration.ofMinutes(1));
			List<RoomEventsReader.Event> events = reader.pollFor(created.id(), Duration.ofSeconds(5));

			assertThat(events).extracting(RoomEventsReader.Event::type).containsExactly("room.created", "member.joined");
			assertThat(events).extracting(RoomEventsReader.Event::eventId).doesNotHaveDuplicates();
			assertThat(events).extracting(RoomEventsReader.Event::key).containsOnly(created.id());
		}
	}

}
