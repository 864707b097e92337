package dev.chat.auth.events;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import dev.chat.common.events.UserEvent;
import dev.chat.common.kafka.Topics;

/**
 * Publishes {@link UserEvent}s to {@code chat.users}, keyed by user id so that one user's events
 * stay in order. Completes only once Kafka has acknowledged the write (acks=all), so callers can
 * undo their change when it fails.
 */
@Component
public class UserEventPublisher {

	private static final Logger log = LoggerFactory.getLogger(UserEventPublisher.class);

	private final KafkaTemplate<String, UserEvent> template;

	UserEventPublisher(KafkaTemplate<String, UserEvent> userEventTemplate) {
		this.template = userEventTemplate;
	}

	public Mono<Void> publish(UserEvent event) {
		// send() can block while the producer fetches metadata (up to max.block.ms): keep that off
		// the event loop. The acknowledgement completes on the producer's network thread: move
		// what follows off it, or every later step of the request would hold up Kafka I/O.
		return Mono.fromFuture(() -> template.send(Topics.USERS, event.userId(), event))
			.subscribeOn(Schedulers.boundedElastic())
			.publishOn(Schedulers.parallel())
			.doOnNext(result -> log.atInfo()
				.addKeyValue("eventType", typeOf(event))
				.addKeyValue("userId", event.userId())
				.addKeyValue("eventId", event.eventId())
				.addKeyValue("partition", result.getRecordMetadata().partition())
				.addKeyValue("offset", result.getRecordMetadata().offset())
				.log("user event published"))
			.doOnError(error -> log.atWarn()
				.addKeyValue("eventType", typeOf(event))
				.addKeyValue("userId", event.userId())
				.setCause(error)
				.log("user event not published"))
			.then();
	}

	private static String typeOf(UserEvent event) {
		return switch (event) {
			case UserEvent.UserRegistered registered -> UserEvent.UserRegistered.TYPE;
			case UserEvent.UserLoggedOut loggedOut -> UserEvent.UserLoggedOut.TYPE;
		};
	}

}
