package dev.chat.gateway.socket;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.chat.common.kafka.Topics;
import dev.chat.test.service.ChatServiceTest;
import dev.chat.test.socket.SocketClient;
import dev.chat.test.tokens.TokenMinter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Random and malformed frames, from a fixed seed (printed, to replay a failure): mutations of
 * every client frame (fields dropped, of the wrong type, huge, with control characters, lone
 * surrogates, deep nesting), truncated JSON and plain garbage, interleaved with valid frames.
 * Whatever arrives, the connection handler answers and stays up, nothing but an acknowledged send
 * reaches Kafka, and the node holds no state of the sockets once they are closed.
 */
@ChatServiceTest
class SocketFuzzIntegrationTests {

	private static final long SEED = Long.getLong("chat.fuzz.seed", System.nanoTime());

	private static final int SOCKETS = 3;

	private static final int FRAMES_PER_SOCKET = 700;

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final MessageServiceStub messageService = MessageServiceStub.start();

	@LocalServerPort
	private int port;

	@Autowired
	private TokenMinter minter;

	@Autowired
	private SessionRegistry sessions;

	@Value("${spring.kafka.bootstrap-servers}")
	private String bootstrap;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("chat.gateway.services.messages", messageService::uri);
		// The sustained send rate is not under test here: valid sends are rare enough, but a
		// burst of them must not be refused for rate.
		registry.add("chat.gateway.socket.send-burst", () -> "1000");
	}

	@AfterAll
	static void stopStub() {
		messageService.close();
	}

	@Test
	void randomAndMalformedFramesNeverBreakAConnectionNorReachKafka() {
		System.out.println("socket fuzz seed: " + SEED + " (replay with -Dchat.fuzz.seed=" + SEED + ")");
		Random random = new Random(SEED);
		String room = "fuzz-" + UUID.randomUUID().toString().substring(0, 8);
		messageService.store(room, 0);
		int openBefore = sessions.size();
		Set<String> acked = new HashSet<>();
		int errors = 0;
		int frames = 0;
		try (KafkaConsumer<String, String> inbound = inboundFromNow()) {
			for (int s = 0; s < SOCKETS; s++) {
				try (SocketClient socket = SocketClient.connect(port, minter.token("fuzzer-" + s, "user"))) {
					Fuzzer fuzzer = new Fuzzer(random, room);
					for (int i = 0; i < FRAMES_PER_SOCKET; i++) {
						socket.send(fuzzer.next());
						frames++;
						// A ping every few frames: it proves the handler still answers, and resets
						// the run of protocol errors before it closes the socket (1008 after 10).
						if (i % 5 == 4) {
							errors += drainUntilPong(socket, acked);
						}
					}
					errors += drainUntilPong(socket, acked);
					// A send's ack waits for Kafka, so it may follow the last pong.
					errors += drainUntilQuiet(socket, acked);
					assertThat(socket.isOpen()).as("seed " + SEED).isTrue();
				}
			}
			assertThat(frames).isEqualTo(SOCKETS * FRAMES_PER_SOCKET);
			assertThat(errors).as("most fuzzed frames are refused, seed " + SEED).isGreaterThan(frames / 3);

			// Exactly the acknowledged sends reached Kafka, nothing else.
			assertThat(acked).as("some valid sends went through").isNotEmpty();
			Set<String> published = new HashSet<>();
			await().atMost(WAIT).until(() -> {
				poll(inbound, room, published);
				return published.containsAll(acked);
			});
			await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> {
				poll(inbound, room, published);
				return published.equals(acked);
			});
		}
		await("no state of closed sockets").atMost(WAIT).until(() -> sessions.size() == openBefore);
	}

	/** Reads until the pong of a ping sent now; collects the acks and returns the errors seen. */
	private static int drainUntilPong(SocketClient socket, Set<String> acked) {
		socket.send("{\"type\":\"ping\"}");
		int errors = 0;
		while (true) {
			JsonNode frame = socket.next(WAIT);
			if ("pong".equals(frame.path("type").asString())) {
				return errors;
			}
			errors += count(frame, acked);
		}
	}

	/** Reads until no frame comes for half a second; collects the acks and returns the errors seen. */
	private static int drainUntilQuiet(SocketClient socket, Set<String> acked) {
		int errors = 0;
		while (true) {
			JsonNode frame;
			try {
				frame = socket.next(Duration.ofMillis(500));
			}
			catch (AssertionError quiet) {
				return errors;
			}
			errors += count(frame, acked);
		}
	}

	private static int count(JsonNode frame, Set<String> acked) {
		switch (frame.path("type").asString()) {
			case "ack" -> acked.add(frame.path("clientMsgId").asString());
			case "error" -> {
				return 1;
			}
			default -> {
			}
		}
		return 0;
	}

	private static void poll(KafkaConsumer<String, String> inbound, String room, Set<String> into) {
		for (ConsumerRecord<String, String> record : inbound.poll(Duration.ofMillis(100))) {
			// Every record on the topic during this test is one of the fuzzers'; one of another
			// room would be a fuzzed frame that got through, and fails the equality below.
			into.add(room.equals(record.key()) ? JSON.readTree(record.value()).path("clientMsgId").asString()
					: "another room: " + record.value());
		}
	}

	private KafkaConsumer<String, String> inboundFromNow() {
		KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
				new StringDeserializer(), new StringDeserializer());
		List<TopicPartition> partitions = consumer.partitionsFor(Topics.MESSAGES_INBOUND, WAIT)
			.stream()
			.map(info -> new TopicPartition(info.topic(), info.partition()))
			.toList();
		consumer.assign(partitions);
		consumer.seekToEnd(partitions);
		partitions.forEach(partition -> consumer.position(partition, WAIT));
		return consumer;
	}

	/** Frames, mostly broken, some valid, from one random source. */
	private static final class Fuzzer {

		private static final String[] TYPES = { "send", "subscribe", "unsubscribe", "typing", "auth", "ping", "",
				"SEND", "send ", "__proto__", "constructor" };

		private static final String[] FIELDS = { "type", "roomId", "clientMsgId", "body", "sinceSeq", "token" };

		private final Random random;

		private final String room;

		private int sent;

		Fuzzer(Random random, String room) {
			this.random = random;
			this.room = room;
		}

		String next() {
			return switch (random.nextInt(10)) {
				case 0 -> garbage();
				case 1 -> truncated();
				case 2 -> valid();
				default -> mutated();
			};
		}

		private String valid() {
			return switch (random.nextInt(3)) {
				case 0 -> "{\"type\":\"send\",\"roomId\":\"" + room + "\",\"clientMsgId\":\"f-" + (sent++) + "-"
						+ random.nextInt(1_000_000) + "\",\"body\":\"hello\"}";
				case 1 -> "{\"type\":\"subscribe\",\"roomId\":\"" + room + "\"}";
				default -> "{\"type\":\"typing\",\"roomId\":\"" + room + "\"}";
			};
		}

		private String mutated() {
			StringBuilder json = new StringBuilder("{");
			List<String> fields = new ArrayList<>(List.of(FIELDS));
			int count = random.nextInt(fields.size() + 1);
			for (int i = 0; i < count; i++) {
				String field = fields.remove(random.nextInt(fields.size()));
				if (json.length() > 1) {
					json.append(',');
				}
				json.append('"').append(random.nextInt(20) == 0 ? field.toUpperCase() : field).append("\":");
				json.append(field.equals("type") && random.nextBoolean() ? quoted(pick(TYPES)) : value());
			}
			if (random.nextInt(8) == 0) {
				json.append(json.length() > 1 ? "," : "").append("\"type\":").append(quoted(pick(TYPES)));
			}
			return json.append('}').toString();
		}

		private String value() {
			return switch (random.nextInt(14)) {
				case 0 -> "null";
				case 1 -> String.valueOf(random.nextLong());
				case 2 -> "1e309";
				case 3 -> "-1";
				case 4 -> "[\"" + room + "\"]";
				case 5 -> "{\"$gt\":\"\"}";
				case 6 -> "true";
				case 7 -> quoted("x".repeat(random.nextInt(20_000)));
				case 8 -> quoted("bell\\u0007nul\\u0000");
				case 9 -> quoted("\\ud800lone surrogate");
				case 10 -> "[".repeat(2_000) + "]".repeat(2_000);
				case 11 -> quoted("../../etc/passwd");
				case 12 -> quoted(room);
				default -> quoted("😀 مرحبا " + random.nextInt());
			};
		}

		private String truncated() {
			String whole = random.nextBoolean() ? valid() : mutated();
			int end = random.nextInt(Math.max(1, whole.length()));
			// Never between the two halves of a surrogate pair: a text frame is UTF-8, and a client
			// cannot send half a character (the JDK's WebSocket refuses to encode it).
			if (end > 0 && Character.isHighSurrogate(whole.charAt(end - 1))) {
				end--;
			}
			return whole.substring(0, end);
		}

		private String garbage() {
			Supplier<Character> any = () -> (char) (random.nextInt(0x2FFF) + 1);
			StringBuilder text = new StringBuilder();
			int length = random.nextInt(300);
			for (int i = 0; i < length; i++) {
				text.append(any.get());
			}
			return text.toString();
		}

		private String pick(String[] values) {
			return values[random.nextInt(values.length)];
		}

		private static String quoted(String raw) {
			return "\"" + raw + "\"";
		}

	}

}
