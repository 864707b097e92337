package dev.chat.message;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.micrometer.tracing.test.autoconfigure.AutoConfigureTracing;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.chat.common.events.MessageCommand;
import dev.chat.common.events.MessageEvent;
import dev.chat.common.kafka.Topics;
import dev.chat.test.tokens.TokenMinter;
import dev.chat.test.tracing.RecordedSpans;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One message's trace through message-service, on real Kafka and FerretDB: the command's record
 * carries a W3C {@code traceparent} as the gateway's producer writes it; the pipeline's span
 * {@code chat.message.process} continues it, and the {@code chat.messages} event goes out with a
 * {@code traceparent} of the same trace, which the gateway's delivery continues.
 */
@MessageServiceTest
// Boot's tests turn tracing export off, and propagation with it: on again, with no exporter.
@AutoConfigureTracing
@Import(TracingIntegrationTests.Spans.class)
@TestPropertySource(properties = "logging.level.dev.chat.message.pipeline.BatchProcessor=debug")
@ExtendWith(OutputCaptureExtension.class)
class TracingIntegrationTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static ChatTopics topics;

	private static ChatTopics.Recorder events;

	private static ChatTopics.Recorder inbound;

	@Autowired
	private WebTestClient client;

	@Autowired
	private TokenMinter minter;

	@Autowired
	private RecordedSpans spans;

	private Rooms rooms;

	@TestConfiguration(proxyBeanMethods = false)
	static class Spans {

		@Bean
		RecordedSpans recordedSpans() {
			return new RecordedSpans();
		}

	}

	@BeforeAll
	static void recordTopics() {
		topics = new ChatTopics();
		events = topics.record(Topics.MESSAGES);
		inbound = topics.record(Topics.MESSAGES_INBOUND);
	}

	@AfterAll
	static void stopRecording() {
		topics.close();
	}

	@BeforeEach
	void rooms() {
		rooms = new Rooms(topics, client, minter);
	}

	@Test
	void aCommandsTraceRunsFromItsRecordThroughStorageToItsEvent(CapturedOutput output) {
		String roomId = rooms.create("alice");
		String traceId = hex(16);
		String parentSpanId = hex(8);
		MessageCommand.SendMessage send = MessageCommand.SendMessage.of(roomId, Rooms.id("alice"), "traced-1", "hello");
		topics.publish(Topics.MESSAGES_INBOUND, roomId, send,
				Map.of("traceparent", "00-" + traceId + "-" + parentSpanId + "-01"));

		ConsumerRecord<String, String> event = Awaitility.await("the message.created event")
			.atMost(Rooms.WAIT)
			.until(() -> events.records(roomId), records -> !records.isEmpty())
			.getFirst();
		assertThat(events.events(roomId)).singleElement().isInstanceOf(MessageEvent.MessageCreated.class);
		String[] traceparent = traceparent(event).split("-");
		assertThat(traceparent[1]).isEqualTo(traceId);

		SpanData process = Awaitility.await("the span chat.message.process")
			.atMost(Rooms.WAIT)
			.until(() -> spans.named("chat.message.process")
				.stream()
				.filter(span -> span.getTraceId().equals(traceId))
				.toList(), found -> !found.isEmpty())
			.getFirst();
		assertThat(process.getKind()).isEqualTo(SpanKind.CONSUMER);
		assertThat(process.getParentSpanId()).isEqualTo(parentSpanId);
		assertThat(process.getAttributes().asMap().toString()).contains(roomId);
		// The event's record names the template's producer span, a child of the command's span.
		SpanData producer = Awaitility.await("the event's producer span")
			.atMost(Rooms.WAIT)
			.until(() -> spans.trace(traceId)
				.stream()
				.filter(span -> span.getSpanId().equals(traceparent[2]))
				.toList(), found -> !found.isEmpty())
			.getFirst();
		assertThat(producer.getKind()).isEqualTo(SpanKind.PRODUCER);
		assertThat(producer.getParentSpanId()).isEqualTo(process.getSpanId());
		// The process span lasts until its event is sent. (Not "until the producer span ends": the
		// send's callback completes the pipeline's future before it stops its own observation, so
		// the two ends come in either order, well under a millisecond apart; a CI run saw 0.8 ms.)
		assertThat(process.getEndEpochNanos()).isGreaterThan(producer.getStartEpochNanos());
		// The line written as the event goes out is in the command's span.
		List<String> published = output.getOut()
			.lines()
			.filter(line -> line.contains("publishing event") && line.contains(roomId))
			.toList();
		assertThat(published).singleElement().satisfies(line -> {
			assertThat(JSON.readTree(line).path("traceId").asString()).isEqualTo(traceId);
			assertThat(JSON.readTree(line).path("spanId").asString()).isEqualTo(process.getSpanId());
		});
	}

	@Test
	void aRestSendContinuesTheCallersTraceIntoItsCommandsRecord() {
		String roomId = rooms.create("alice");
		String traceId = hex(16);
		client.post()
			.uri("/api/rooms/{roomId}/messages", roomId)
			.headers(headers -> {
				headers.setBearerAuth(rooms.token("alice"));
				headers.set("traceparent", "00-" + traceId + "-" + hex(8) + "-01");
			})
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("clientMsgId", "rest-1", "body", "hello"))
			.exchange()
			.expectStatus()
			.isAccepted();

		ConsumerRecord<String, String> command = Awaitility.await("the command's record")
			.atMost(Rooms.WAIT)
			.until(() -> inbound.records(roomId), records -> !records.isEmpty())
			.getFirst();
		assertThat(traceparent(command).split("-")[1]).isEqualTo(traceId);
		ConsumerRecord<String, String> event = Awaitility.await("the message.created event")
			.atMost(Rooms.WAIT)
			.until(() -> events.records(roomId), records -> !records.isEmpty())
			.getFirst();
		assertThat(traceparent(event).split("-")[1]).isEqualTo(traceId);
	}

	@Test
	void aProblemsTraceIdIsTheTraceOfTheRequestsSpan() {
		JsonNode problem = client.get()
			.uri("/api/rooms/{roomId}/messages", Rooms.newRoomId())
			.headers(headers -> headers.setBearerAuth(rooms.token("alice")))
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();

		String traceId = problem.path("traceId").asString();
		assertThat(traceId).matches("[0-9a-f]{32}");
		List<SpanData> server = Awaitility.await("the request's server span")
			.atMost(Rooms.WAIT)
			.until(() -> spans.trace(traceId)
				.stream()
				.filter(span -> span.getKind() == SpanKind.SERVER)
				.toList(), found -> !found.isEmpty());
		assertThat(server).isNotEmpty();
	}

	private static String traceparent(ConsumerRecord<String, String> record) {
		Header header = record.headers().lastHeader("traceparent");
		assertThat(header).as("traceparent header of " + record.topic()).isNotNull();
		String value = new String(header.value(), StandardCharsets.UTF_8);
		assertThat(value).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]");
		return value;
	}

	private static String hex(int bytes) {
		byte[] random = new byte[bytes];
		ThreadLocalRandom.current().nextBytes(random);
		return HexFormat.of().formatHex(random);
	}

}
