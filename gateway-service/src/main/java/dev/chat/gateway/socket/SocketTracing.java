package dev.chat.gateway.socket;

import java.util.function.Supplier;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import reactor.util.context.ContextView;

import org.springframework.kafka.support.micrometer.KafkaRecordReceiverContext;
import org.springframework.stereotype.Component;

/**
 * The spans of the socket's message path: {@code chat.socket.send} from a {@code send} frame to
 * its {@code ack} (its context goes into the {@code chat.messages.inbound} record's
 * {@code traceparent}, through the template's producer span), and {@code chat.socket.deliver}
 * for each {@code chat.messages} event this node delivers, continuing the trace of the
 * message-service producer span named in that record's {@code traceparent}.
 *
 * <p>
 * Cost on the event loop: starting a span is a few allocations and no I/O (spans are never
 * exported from here; see docs/tracing.md). The send's observation travels in the Reactor
 * context ({@link ObservationThreadLocalAccessor#KEY}, where WebClient looks for its parent too)
 * and is put in scope (thread locals: the MDC's {@code traceId}, the template's parent) only on
 * the thread that writes to Kafka. Delivery: one span per event delivered by this node, none per
 * subscriber, none for an event no one here follows.
 */
@Component
class SocketTracing {

	static final String SEND = "chat.socket.send";

	static final String DELIVER = "chat.socket.deliver";

	private final ObservationRegistry registry;

	SocketTracing(ObservationRegistry registry) {
		this.registry = registry;
	}

	/** Starts the span of a send frame; the caller stops it once the frame is answered. */
	Observation send(String roomId) {
		return Observation.createNotStarted(SEND, registry)
			.highCardinalityKeyValue("chat.room", roomId)
			.start();
	}

	/**
	 * Starts the span of one delivered {@code chat.messages} event, the child of the span whose
	 * context the record carries (a record without {@code traceparent} starts a trace).
	 */
	Observation deliver(ConsumerRecord<String, String> record, String roomId) {
		return Observation
			.createNotStarted(DELIVER,
					() -> new KafkaRecordReceiverContext(record, "fan-out", "fan-out", null, () -> null), registry)
			.contextualName(DELIVER)
			.highCardinalityKeyValue("chat.room", roomId)
			.start();
	}

	/** The observation a Reactor pipeline was given, or null. */
	static Observation current(ContextView context) {
		return context.getOrDefault(ObservationThreadLocalAccessor.KEY, null);
	}

	/** Runs {@code action} with the observation in scope on this thread (none: as it is). */
	static <T> T scoped(Observation observation, Supplier<T> action) {
		if (observation == null || observation.isNoop()) {
			return action.get();
		}
		try (Observation.Scope scope = observation.openScope()) {
			return action.get();
		}
	}

}
