package dev.chat.gateway.socket;

import java.time.Duration;

import io.micrometer.observation.Observation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import dev.chat.common.events.MessageCommand;
import dev.chat.common.events.TypingEvent;
import dev.chat.common.kafka.Topics;

/**
 * Writes what clients ask for to Kafka. A send completes only when Kafka has acknowledged the
 * write (acks=all, idempotent producer): that, and nothing earlier, is what earns the client its
 * {@code ack}. A write Kafka does not take in time fails; the client retries with the same
 * {@code clientMsgId}, which message-service deduplicates should the first write land after all.
 */
@Component
class InboundPublisher {

	private static final Logger log = LoggerFactory.getLogger(InboundPublisher.class);

	private static final Duration SEND_TIMEOUT = Duration.ofSeconds(5);

	private final KafkaTemplate<String, String> kafka;

	private final JsonMapper json = JsonMapper.builder().build();

	InboundPublisher(KafkaTemplate<String, String> kafka) {
		this.kafka = kafka;
	}

	/**
	 * Writes a send. The record continues the trace of the send's observation, when the Reactor
	 * context holds one ({@link SocketTracing}): the template's producer span is its child and
	 * puts its {@code traceparent} in the record's headers.
	 */
	Mono<Void> send(MessageCommand.SendMessage command) {
		return Mono.deferContextual(context -> {
			Observation observation = SocketTracing.current(context);
			return Mono.fromFuture(() -> SocketTracing.scoped(observation, () -> {
				log.debug("publishing send roomId={} clientMsgId={}", command.roomId(), command.clientMsgId());
				return kafka.send(Topics.MESSAGES_INBOUND, command.roomId(),
						json.writerFor(MessageCommand.class).writeValueAsString(command));
			}));
		})
			// KafkaProducer.send blocks while it waits for metadata: never on the event loop.
			.subscribeOn(Schedulers.boundedElastic())
			.timeout(SEND_TIMEOUT)
			.then();
	}

	/** Typing is best effort: no acknowledgement is awaited, a lost indicator is harmless. */
	void typing(TypingEvent event) {
		Schedulers.boundedElastic()
			.schedule(() -> kafka.send(Topics.TYPING, event.roomId(), json.writeValueAsString(event)));
	}

}
