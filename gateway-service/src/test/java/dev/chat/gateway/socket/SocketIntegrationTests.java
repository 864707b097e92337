package dev.chat.gateway.socket;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.chat.common.events.MessageCommand;
import dev.chat.common.events.MessageEvent;
import dev.chat.common.events.PresenceChanged;
import dev.chat.common.events.PresenceSignal;
import dev.chat.common.kafka.Topics;
import dev.chat.test.service.ChatServiceTest;
import dev.chat.test.socket.SocketClient;
import dev.chat.test.tokens.TokenMinter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The WebSocket protocol of one gateway node against a real Kafka broker, with message-service
 * played by a loopback stub that serves a room's stored sequence and membership answers.
 * (End-to-end tests run the same against the real message-service.)
 */
@ChatServiceTest
class SocketIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final MessageServiceStub messageService = MessageServiceStub.start();

	@LocalServerPort
	private int port;

	@Autowired
	private TokenMinter minter;

	@Value("${spring.kafka.bootstrap-servers}")
	private String bootstrap;

	private KafkaProducer<String, String> producer;

	private String room;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("chat.gateway.services.messages", messageService::uri);
	}

	@BeforeEach
	void aRoomWithStoredHistory() {
		producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap), new StringSerializer(),
				new StringSerializer());
		room = "room-" + UUID.randomUUID().toString().substring(0, 8);
		messageService.store(room, 30);
	}

	@AfterEach
	void closeProducer() {
		producer.close();
	}

	@AfterAll
	static void stopStub() {
		messageService.close();
	}

	@Test
	void aSubscriberReceivesLiveMessagesNewerThanTheRoomsLastSeq() {
		try (SocketClient alice = connect("alice")) {
			alice.send(subscribe(room, null));
			assertThat(alice.next("subscribed", WAIT).path("lastSeq").asLong()).isEqualTo(30);

			publishCreated(room, 30); // already known to the client: not delivered again
			publishCreated(room, 31);
			publishCreated(room, 32);

			assertThat(alice.next("message", WAIT).path("seq").asLong()).isEqualTo(31);
			assertThat(alice.next("message", WAIT).path("seq").asLong()).isEqualTo(32);
		}
	}

	@Test
	void aRoomMessageServiceLearnsOfAMomentAfterTheSubscribeIsSubscribedToAllTheSame() {
		String joinedJustNow = "room-" + UUID.randomUUID();
		try (SocketClient alice = connect("alice")) {
			alice.send(subscribe(joinedJustNow, null));
			CompletableFuture.runAsync(() -> messageService.store(joinedJustNow, 3),
					CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS));

			assertThat(alice.next(WAIT).path("type").asString()).isEqualTo("subscribed");
		}
	}

	@Test
	void subscribingWithSinceSeqReplaysTheGapThenContinuesLiveWithoutDuplicates() {
		try (SocketClient bob = connect("bob")) {
			bob.send(subscribe(room, 20L));
			assertThat(bob.next("subscribed", WAIT).path("lastSeq").asLong()).isEqualTo(30);
			publishCreated(room, 29); // arrives live while or after the replay: a duplicate of a replayed seq
			publishCreated(room, 31);

			List<Long> seqs = new ArrayList<>();
			for (int i = 0; i < 11; i++) {
				seqs.add(bob.next("message", WAIT).path("seq").asLong());
			}
			assertThat(seqs).containsExactly(21L, 22L, 23L, 24L, 25L, 26L, 27L, 28L, 29L, 30L, 31L);
		}
	}

	@Test
	void aSendIsPublishedToKafkaThenAcknowledged() {
		try (SocketClient alice = connect("alice");
				KafkaConsumer<String, String> inbound = consumer(Topics.MESSAGES_INBOUND)) {
			alice.send("{\"type\":\"send\",\"roomId\":\"" + room + "\",\"clientMsgId\":\"c-1\",\"body\":\"hello\\nworld\"}");

			assertThat(alice.next("ack", WAIT).path("clientMsgId").asString()).isEqualTo("c-1");
			List<MessageCommand> commands = received(inbound, 1);
			assertThat(commands).singleElement().isInstanceOfSatisfying(MessageCommand.SendMessage.class, send -> {
				assertThat(send.roomId()).isEqualTo(room);
				assertThat(send.userId()).isEqualTo(TokenMinter.subjectOf("alice"));
				assertThat(send.clientMsgId()).isEqualTo("c-1");
				assertThat(send.body()).isEqualTo("hello\nworld");
			});
		}
	}

	@Test
	void aRetriedSendIsAnsweredWithTheOriginalMessageEvenWhenItsSeqWasAlreadyDelivered() {
		String alice = TokenMinter.subjectOf("alice");
		try (SocketClient socket = connect("alice")) {
			socket.send(subscribe(room, null));
			socket.next("subscribed", WAIT);
			socket.send(send(room, "once", "hello"));
			socket.next("ack", WAIT);
			MessageEvent original = new MessageEvent.MessageCreated(UUID.randomUUID(), 1, room, 31, room + "-31", alice,
					"once", "hello", Instant.now());
			publish(original);
			assertThat(socket.next("message", WAIT).path("seq").asLong()).isEqualTo(31);

			socket.send(send(room, "once", "hello")); // the retry: message-service re-publishes the original
			socket.next("ack", WAIT);
			publish(original);

			JsonNode answer = socket.next("message", WAIT);
			assertThat(answer.path("seq").asLong()).isEqualTo(31);
			assertThat(answer.path("id").asString()).isEqualTo(room + "-31");
			assertThat(answer.path("clientMsgId").asString()).isEqualTo("once");
		}
	}

	@Test
	void badFramesAreAnsweredWithErrorsAndNothingReachesKafka() {
		String longBody = "x".repeat(4001);
		Map<String, String> badFrames = new java.util.LinkedHashMap<>();
		badFrames.put("not json", "malformed");
		badFrames.put("{\"type\":\"shout\"}", "unknown_type");
		badFrames.put("{\"roomId\":\"" + room + "\"}", "unknown_type");
		badFrames.put("{\"type\":\"send\",\"roomId\":\"" + room + "\",\"clientMsgId\":\"c\"}", "invalid");
		badFrames.put(send(room, "c", "   "), "invalid");
		badFrames.put(send(room, "c", longBody), "invalid");
		badFrames.put(send(room, "c", "nul\\u0000byte"), "invalid");
		badFrames.put(send(room, "c", "bell\\u0007"), "invalid");
		badFrames.put(send("../etc", "c", "hi"), "invalid");
		badFrames.put("{\"type\":\"send\",\"roomId\":\"" + room + "\",\"clientMsgId\":\"c\",\"body\":7}", "malformed");
		badFrames.put(send(room, "c", "y".repeat(17 * 1024)), "too_large");
		badFrames.put(send("forbidden-room", "c", "hi"), "forbidden");
		badFrames.put(send("missing-room", "c", "hi"), "not_found");

		try (SocketClient alice = connect("alice");
				KafkaConsumer<String, String> inbound = consumer(Topics.MESSAGES_INBOUND)) {
			badFrames.forEach((frame, expectedCode) -> {
				alice.send(frame);
				assertThat(alice.next("error", WAIT).path("code").asString()).as(frame.substring(0, Math.min(60, frame.length())))
					.isEqualTo(expectedCode);
				alice.send("{\"type\":\"ping\"}"); // resets the run of errors; the socket stays open
				assertThat(alice.next("pong", WAIT)).isNotNull();
			});
			alice.send(send(room, "valid", "the only one"));
			assertThat(alice.next("ack", WAIT).path("clientMsgId").asString()).isEqualTo("valid");

			assertThat(received(inbound, 1)).singleElement()
				.extracting(command -> ((MessageCommand.SendMessage) command).clientMsgId())
				.isEqualTo("valid");
		}
	}

	@Test
	void sendsPastTheBurstAreRefusedWithRetryAfterAndNeverReachKafka() {
		// The default burst is 50, refilled at 20 a second: 150 sends outrun the refill unless
		// sending them takes over 5 s.
		int sends = 150;
		try (SocketClient alice = connect("alice");
				KafkaConsumer<String, String> inbound = consumer(Topics.MESSAGES_INBOUND)) {
			for (int i = 0; i < sends; i++) {
				alice.send(send(room, "burst-" + i, "hi"));
			}
			int acked = 0;
			List<JsonNode> refused = new ArrayList<>();
			for (int i = 0; i < sends; i++) {
				JsonNode answer = alice.next(WAIT);
				if ("ack".equals(answer.path("type").asString())) {
					acked++;
				}
				else {
					refused.add(answer);
				}
			}

			assertThat(acked).isBetween(50, sends - 1);
			assertThat(refused).isNotEmpty().allSatisfy(error -> {
				assertThat(error.path("type").asString()).isEqualTo("error");
				assertThat(error.path("code").asString()).isEqualTo("rate_limited");
				assertThat(error.path("ref").asString()).startsWith("burst-");
				assertThat(error.path("retryAfterMs").asLong()).isBetween(1L, 50L);
			});
			assertThat(received(inbound, acked)).hasSize(acked);
		}
	}

	@Test
	void tenProtocolErrorsInARowCloseTheSocketWith1008() throws Exception {
		try (SocketClient alice = connect("alice")) {
			for (int i = 0; i < 10; i++) {
				alice.send("{\"type\":\"nonsense\"}");
			}
			assertThat(alice.closeCode().get(10, TimeUnit.SECONDS)).isEqualTo(1008);
		}
	}

	@Test
	void aClientThatCannotKeepUpIsClosedWith1013WhileOthersReceiveEverything() throws Exception {
		int messages = 20_000;
		try (SocketClient slow = connect("bob"); SocketClient normal = connect("alice")) {
			slow.send(subscribe(room, null));
			normal.send(subscribe(room, null));
			slow.next("subscribed", WAIT);
			normal.next("subscribed", WAIT);
			slow.pause();

			String body = "z".repeat(2_000); // 40 MB in all: more than the socket buffers can hide
			for (int seq = 31; seq < 31 + messages; seq++) {
				publishCreated(room, seq, body);
			}
			producer.flush();

			for (int seq = 31; seq < 31 + messages; seq++) {
				assertThat(normal.next("message", WAIT).path("seq").asLong()).isEqualTo(seq);
			}
			slow.resume();
			assertThat(slow.closeCode().get(30, TimeUnit.SECONDS)).isEqualTo(1013);
		}
	}

	@Test
	void theNodeTellsPresenceServiceAboutConnectionsAndSubscriptionsInOrder() {
		String alice = TokenMinter.subjectOf("alice");
		try (KafkaConsumer<String, String> signals = consumer(Topics.PRESENCE_EVENTS)) {
			try (SocketClient socket = connect("alice")) {
				socket.send(subscribe(room, null));
				socket.next("subscribed", WAIT);
				socket.send("{\"type\":\"unsubscribe\",\"roomId\":\"" + room + "\"}");
				socket.send("{\"type\":\"ping\"}");
				socket.next("pong", WAIT);
			}
			List<PresenceSignal> mine = new ArrayList<>();
			await().atMost(WAIT).until(() -> {
				for (ConsumerRecord<String, String> record : signals.poll(Duration.ofMillis(100))) {
					PresenceSignal signal = JSON.readValue(record.value(), PresenceSignal.class);
					if (alice.equals(record.key()) && !(signal instanceof PresenceSignal.NodeHeartbeat)) {
						mine.add(signal);
					}
				}
				return mine.size() >= 4;
			});
			assertThat(mine).extracting(signal -> signal.getClass().getSimpleName())
				.containsExactly("Connected", "Subscribed", "Unsubscribed", "Disconnected");
			assertThat(mine.get(1)).isInstanceOfSatisfying(PresenceSignal.Subscribed.class,
					subscribed -> assertThat(subscribed.roomId()).isEqualTo(room));
		}
	}

	@Test
	void typingIsThrottledPublishedAndShownToTheOthersInTheRoom() {
		String alice = TokenMinter.subjectOf("alice");
		try (SocketClient typist = connect("alice"); SocketClient reader = connect("bob");
				KafkaConsumer<String, String> typing = consumer(Topics.TYPING)) {
			typist.send(subscribe(room, null));
			reader.send(subscribe(room, null));
			typist.next("subscribed", WAIT);
			reader.next("subscribed", WAIT);

			for (int i = 0; i < 5; i++) { // within one throttle interval: one indicator goes out
				typist.send("{\"type\":\"typing\",\"roomId\":\"" + room + "\"}");
			}

			JsonNode shown = reader.next("typing", WAIT);
			assertThat(shown.path("roomId").asString()).isEqualTo(room);
			assertThat(shown.path("userId").asString()).isEqualTo(alice);
			List<String> published = new ArrayList<>();
			await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> {
				for (ConsumerRecord<String, String> record : typing.poll(Duration.ofMillis(100))) {
					if (room.equals(record.key())) {
						published.add(record.value());
					}
				}
				return published.size() == 1;
			});
			typist.send("{\"type\":\"ping\"}");
			assertThat(typist.next(WAIT).path("type").asString()).as("the typist is not shown its own typing")
				.isEqualTo("pong");
		}
	}

	@Test
	void presenceChangesReachTheRoomsSubscribers() {
		try (SocketClient bob = connect("bob")) {
			bob.send(subscribe(room, null));
			bob.next("subscribed", WAIT);

			PresenceChanged change = new PresenceChanged(UUID.randomUUID(), 1, room, "carol-id", "carol",
					PresenceChanged.ONLINE, Instant.now());
			producer.send(new ProducerRecord<>(Topics.PRESENCE, room, JSON.writeValueAsString(change)));

			JsonNode frame = bob.next("presence", WAIT);
			assertThat(frame.path("userId").asString()).isEqualTo("carol-id");
			assertThat(frame.path("status").asString()).isEqualTo("online");
		}
	}

	private SocketClient connect(String user) {
		return SocketClient.connect(port, minter.token(user, "user"));
	}

	private static String subscribe(String roomId, Long sinceSeq) {
		return "{\"type\":\"subscribe\",\"roomId\":\"" + roomId + "\""
				+ (sinceSeq == null ? "" : ",\"sinceSeq\":" + sinceSeq) + "}";
	}

	private static String send(String roomId, String clientMsgId, String body) {
		return "{\"type\":\"send\",\"roomId\":\"" + roomId + "\",\"clientMsgId\":\"" + clientMsgId + "\",\"body\":\""
				+ body + "\"}";
	}

	private void publishCreated(String roomId, long seq) {
		publishCreated(roomId, seq, "message " + seq);
	}

	private void publishCreated(String roomId, long seq, String body) {
		publish(new MessageEvent.MessageCreated(UUID.randomUUID(), 1, roomId, seq, roomId + "-" + seq, "carol",
				"c" + seq, body, Instant.now()));
	}

	private void publish(MessageEvent event) {
		producer.send(new ProducerRecord<>(Topics.MESSAGES, event.roomId(),
				JSON.writerFor(MessageEvent.class).writeValueAsString(event)));
	}

	private KafkaConsumer<String, String> consumer(String topic) {
		KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.GROUP_ID_CONFIG,
						"test-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"),
				new StringDeserializer(), new StringDeserializer());
		consumer.subscribe(List.of(topic));
		await().atMost(WAIT).until(() -> {
			consumer.poll(Duration.ofMillis(100));
			return !consumer.assignment().isEmpty();
		});
		// Resolve "latest" now: left to the next poll, it could skip a record the test is about to cause.
		consumer.assignment().forEach(consumer::position);
		return consumer;
	}

	/** Polls until {@code count} commands for this test's room arrived, then a little longer for extras. */
	private List<MessageCommand> received(KafkaConsumer<String, String> consumer, int count) {
		List<MessageCommand> commands = new ArrayList<>();
		await().atMost(WAIT).until(() -> {
			poll(consumer, commands);
			return commands.size() >= count;
		});
		await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> {
			poll(consumer, commands);
			return commands.size() == count;
		});
		return commands;
	}

	private void poll(KafkaConsumer<String, String> consumer, List<MessageCommand> into) {
		for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
			if (room.equals(record.key())) {
				into.add(JSON.readValue(record.value(), MessageCommand.class));
			}
		}
	}

}
