package dev.chat.room.outbox;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.chat.common.events.RoomEvent;
import dev.chat.room.RoomEventsTopic;
import dev.chat.room.RoomsApi;
import dev.chat.test.kafka.TestKafka;
import dev.chat.test.service.ChatServiceTest;
import dev.chat.test.tokens.TokenMinter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.data.mongodb.core.query.Criteria.where;

/**
 * Kafka is unreachable when a room is created, then comes back: the request succeeds at once, the
 * relay keeps trying without holding up other requests, and once Kafka answers the event is
 * published, exactly once.
 *
 * <p>
 * The room-service producer knows Kafka only by a {@link TcpGate} port that refuses connections
 * (everything else, the health check included, uses the shared test broker directly); the test
 * then opens the gate to the real broker. The end-to-end suite stops and starts the stack's
 * broker itself ({@code RoomEventsKafkaOutageIntegrationTests}).
 */
@ChatServiceTest
@TestPropertySource(properties = { "chat.rooms.outbox.initial-backoff=200ms", "chat.rooms.outbox.max-backoff=1s",
		// A send waits this long for Kafka: far longer than any request below may take, so a
		// request held up by the relay (or waiting for Kafka itself) would stand out.
		"spring.kafka.producer.properties.max.block.ms=" + OutboxKafkaOutageIntegrationTests.SEND_BLOCKS_MS,
		"spring.kafka.producer.properties.delivery.timeout.ms=40000" })
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class OutboxKafkaOutageIntegrationTests {

	static final long SEND_BLOCKS_MS = 8_000;

	private static final Duration WELL_BELOW_A_BLOCKED_SEND = Duration.ofMillis(SEND_BLOCKS_MS / 2);

	private static final TcpGate GATE = new TcpGate(brokerAddress());

	@Autowired
	private WebTestClient client;

	@Autowired
	private TokenMinter minter;

	@Autowired
	private ReactiveMongoTemplate mongo;

	@Autowired
	private OutboxRelay relay;

	private RoomsApi api;

	@DynamicPropertySource
	static void producerWithoutABroker(DynamicPropertyRegistry registry) {
		registry.add("spring.kafka.producer.bootstrap-servers", () -> "127.0.0.1:" + GATE.port());
	}

	@BeforeEach
	void api() {
		api = new RoomsApi(client, minter);
	}

	@Test
	void aRoomCreatedWhileKafkaIsDownIsPublishedExactlyOnceWhenKafkaIsBack() throws Exception {
		long begin = System.nanoTime();
		String roomId = api.createdRoom("alice", "Outage " + java.util.UUID.randomUUID(), "public");
		assertThat(Duration.ofNanos(System.nanoTime() - begin)).as("create while Kafka is down")
			.isLessThan(WELL_BELOW_A_BLOCKED_SEND);

		// The event waits in the outbox while the relay fails...
		await().atMost(Duration.ofSeconds(90)).until(() -> relay.failedPasses() >= 1);
		OutboxEntry waiting = mongo.findOne(new Query(where("roomId").is(roomId)), OutboxEntry.class).block();
		assertThat(waiting).isNotNull();
		assertThat(waiting.state()).isEqualTo(OutboxEntry.State.READY);
		assertThat(waiting.type()).isEqualTo(RoomEvent.RoomCreated.TYPE);
		// ...and the service keeps answering while the relay's next send is blocked waiting for
		// Kafka: that wait is not on the event loop.
		for (int i = 0; i < 5; i++) {
			long asked = System.nanoTime();
			api.room("bob", roomId).expectStatus().isOk();
			api.get("bob", "/api/rooms?limit=5").expectStatus().isOk();
			assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(WELL_BELOW_A_BLOCKED_SEND);
		}

		try (GATE; RoomEventsTopic topic = new RoomEventsTopic(TestKafka.shared().bootstrapServers())) {
			GATE.open();
			topic.awaitRoom(roomId, seen -> !seen.isEmpty(), Duration.ofSeconds(90));
			await().atMost(Duration.ofSeconds(30))
				.until(() -> mongo.count(new Query(where("roomId").is(roomId)), OutboxEntry.class).block() == 0);

			List<RoomEventsTopic.Record> records = topic.pollFor(roomId, Duration.ofSeconds(3));
			assertThat(records).hasSize(1);
			assertThat(records.getFirst().eventId()).isEqualTo(waiting.id());
			assertThat(records.getFirst().type()).isEqualTo(RoomEvent.RoomCreated.TYPE);
			assertThat(topic.all()).extracting(RoomEventsTopic.Record::eventId).doesNotHaveDuplicates();
			assertThat(relay.failedPasses()).isZero();
		}
	}

	private static InetSocketAddress brokerAddress() {
		String first = TestKafka.shared().bootstrapServers().split(",")[0];
		int colon = first.lastIndexOf(':');
		return new InetSocketAddress(first.substring(0, colon), Integer.parseInt(first.substring(colon + 1)));
	}

}
