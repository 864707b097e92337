package dev.chat.message.command;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.kafka.core.KafkaOperations;
import org.springframework.stereotype.Component;

import dev.chat.common.error.ChatProblems;
import dev.chat.common.events.MessageCommand;
import dev.chat.common.kafka.Topics;
import dev.chat.message.MessageProperties;

/**
 * Publishes a REST request's command to {@code chat.messages.inbound} (key: the room), and
 * completes once Kafka has acknowledged it ({@code acks=all}), the point from which the
 * pipeline will process it even if this instance dies. Fails with 503 when that takes longer
 * than {@code chat.messages.publish-timeout}.
 */
@Component
class CommandPublisher {

	private static final Logger log = LoggerFactory.getLogger(CommandPublisher.class);

	private final KafkaOperations<String, Object> kafka;

	private final Duration timeout;

	CommandPublisher(KafkaOperations<String, Object> kafka, MessageProperties properties) {
		this.kafka = kafka;
		this.timeout = properties.publishTimeout();
	}

	Mono<Void> publish(MessageCommand command) {
		// send() blocks while it waits for metadata: never on a request thread.
		return Mono.fromFuture(() -> kafka.send(Topics.MESSAGES_INBOUND, command.roomId(), command))
			.subscribeOn(Schedulers.boundedElastic())
			.timeout(timeout)
			.doOnError(failure -> log.atWarn()
				.addKeyValue("roomId", command.roomId())
				.addKeyValue("commandId", command.commandId())
				.addKeyValue("failure", failure.toString())
				.log("command not acknowledged by Kafka"))
			.onErrorMap(failure -> ChatProblems.unavailable("The message could not be accepted now; retry it."))
			.then();
	}

}
