package dev.chat.gateway.socket;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.micrometer.tracing.test.autoconfigure.AutoConfigureTracing;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import dev.chat.common.events.MessageEvent;
import dev.chat.common.kafka.Topics;
import dev.chat.test.service.ChatServiceTest;
import dev.chat.test.socket.SocketClient;
import dev.chat.test.tokens.TokenMinter;
import dev.chat.test.tracing.RecordedSpans;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The socket's spans against a real Kafka broker: a {@code send} frame's span
 * {@code chat.socket.send} is the parent of the producer span whose context the
 * {@code chat.messages.inbound} record carries, and the log line written while the record goes
 * out has its trace id; a {@code chat.messages} event delivered here continues the trace its
 * record names ({@code chat.socket.deliver}).
 */
@ChatServiceTest
// Boot's tests turn tracing export off, and propagation with it: on again, with no exporter.
@AutoConfigureTracing
@Import(SocketTracingIntegrationTests.Spans.class)
@TestPropertySource(properties = "logging.level.dev.chat.gateway.socket.InboundPublisher=debug")
@ExtendWith(OutputCaptureExtension.class)
class SocketTracingIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final MessageServiceStub messageService = MessageServiceStub.start();

	@LocalServerPort
	private int port;

	@Autowired
	private TokenMinter minter;

	@Autowired
	private RecordedSpans spans;

	@Value("${spring.kafka.bootstrap-servers}")
	private String bootstrap;

	private KafkaProducer<String, String> producer;

	private String room;

	@TestConfiguration(proxyBeanMethods = false)
	static class Spans {

		@Bean
		RecordedSpans recordedSpans() {
			return new RecordedSpans();
		}

	}

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("chat.gateway.services.messages", messageService::uri);
	}

	@BeforeEach
	void aRoom() {
		producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap), new StringSerializer(),
				new StringSerializer());
		room = "room-" + UUID.randomUUID().toString().substring(0, 8);
		messageService.store(room, 3);
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
	void aSendsRecordCarriesTheTraceOfItsSocketSpanAndItsLogLineTheTraceId(CapturedOutput output) {
		try (SocketClient alice = SocketClient.connect(port, minter.token("alice", "user"));
				KafkaConsumer<String, String> inbound = consumer(Topics.MESSAGES_INBOUND)) {
			alice.send("{\"type\":\"send\",\"roomId\":\"" + room + "\",\"clientMsgId\":\"t-1\",\"body\":\"hello\"}");
			assertThat(alice.next("ack", WAIT).path("clientMsgId").asString()).isEqualTo("t-1");

			ConsumerRecord<String, String> record = received(inbound);
			String[] traceparent = traceparent(record).split("-");
			SpanData send = await("the span chat.socket.send").atMost(WAIT)
				.until(() -> spans.named(SocketTracing.SEND), found -> !found.isEmpty())
				.getFirst();
			assertThat(send.getTraceId()).isEqualTo(traceparent[1]);
			assertThat(send.getAttributes().asMap().toString()).contains(room);
			SpanData producerSpan = spans.trace(send.getTraceId())
				.stream()
				.filter(span -> span.getSpanId().equals(traceparent[2]))
				.findFirst()
				.orElseThrow();
			assertThat(producerSpan.getKind()).isEqualTo(SpanKind.PRODUCER);
			assertThat(producerSpan.getParentSpanId()).isEqualTo(send.getSpanId());

			List<String> published = output.getOut()
				.lines()
				.filter(line -> line.contains("publishing send") && line.contains(room))
				.toList();
			assertThat(published).singleElement().satisfies(line -> {
				assertThat(JSON.readTree(line).path("traceId").asString()).isEqualTo(send.getTraceId());
				assertThat(JSON.readTree(line).path("spanId").asString()).isEqualTo(send.getSpanId());
			});
		}
	}

	@Test
	void aDeliveredEventContinuesTheTraceItsRecordNames() {
		String traceId = hex(16);
		String parentSpanId = hex(8);
		try (SocketClient bob = SocketClient.connect(port, minter.token("bob", "user"))) {
			bob.send("{\"type\":\"subscribe\",\"roomId\":\"" + room + "\"}");
			bob.next("subscribed", WAIT);
			MessageEvent created = new MessageEvent.MessageCreated(UUID.randomUUID(), 1, room, 4, room + "-4",
					TokenMinter.subjectOf("alice"), "c-4", "hello", Instant.now());
			ProducerRecord<String, String> record = new ProducerRecord<>(Topics.MESSAGES, room,
					JSON.writerFor(MessageEvent.class).writeValueAsString(created));
			record.headers()
				.add("traceparent",
						("00-" + traceId + "-" + parentSpanId + "-01").getBytes(StandardCharsets.UTF_8));
			producer.send(record);

			assertThat(bob.next("message", WAIT).path("seq").asLong()).isEqualTo(4);
			SpanData deliver = await("the span chat.socket.deliver").atMost(WAIT)
				.until(() -> spans.trace(traceId)
					.stream()
					.filter(span -> span.getName().equals(SocketTracing.DELIVER))
					.toList(), found -> !found.isEmpty())
				.getFirst();
			assertThat(deliver.getParentSpanId()).isEqualTo(parentSpanId);
			assertThat(deliver.getKind()).isEqualTo(SpanKind.CONSUMER);
		}
	}

	@Test
	void anEventNoOneHereFollowsGetsNoSpan() {
		String traceId = hex(16);
		MessageEvent created = new MessageEvent.MessageCreated(UUID.randomUUID(), 1, "room-nobody-follows", 1,
				"room-nobody-follows-1", "someone", "c-1", "hello", Instant.now());
		ProducerRecord<String, String> record = new ProducerRecord<>(Topics.MESSAGES, created.roomId(),
				JSON.writerFor(MessageEvent.class).writeValueAsString(created));
		record.headers()
			.add("traceparent", ("00-" + traceId + "-" + hex(8) + "-01").getBytes(StandardCharsets.UTF_8));
		producer.send(record);
		// A delivered event after it, on the same partition, proves the first one was handled.
		aDeliveredEventContinuesTheTraceItsRecordNames();
		assertThat(spans.trace(traceId)).isEmpty();
	}

	private static String traceparent(ConsumerRecord<String, String> record) {
		Header header = record.headers().lastHeader("traceparent");
		assertThat(header).as("traceparent of the " + record.topic() + " record").isNotNull();
		String value = new String(header.value(), StandardCharsets.UTF_8);
		assertThat(value).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
		return value;
	}

	private ConsumerRecord<String, String> received(KafkaConsumer<String, String> consumer) {
		return await("the record").atMost(WAIT).until(() -> {
			List<ConsumerRecord<String, String>> records = new java.util.ArrayList<>();
			consumer.poll(Duration.ofMillis(200)).forEach(records::add);
			return records.stream().filter(r -> room.equals(r.key())).findFirst().orElse(null);
		}, record -> record != null);
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
		consumer.assignment().forEach(consumer::position);
		return consumer;
	}

	private static String hex(int bytes) {
		byte[] random = new byte[bytes];
		ThreadLocalRandom.current().nextBytes(random);
		return HexFormat.of().formatHex(random);
	}

}
