package dev.chat.presence.partition;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import dev.chat.common.kafka.Topics;

/**
 * How many partitions {@code chat.presence.events} has: the number of parts a room's online list
 * is split into ({@link PartitionOwnership}). Asked of Kafka once, off the event loop, and kept:
 * adding partitions to the topic moves users between partitions, which needs every instance
 * restarted anyway (docs/scaling.md).
 */
@Component
public class SignalPartitions {

	private final KafkaTemplate<String, String> kafka;

	private volatile Integer known;

	SignalPartitions(KafkaTemplate<String, String> presenceTemplate) {
		this.kafka = presenceTemplate;
	}

	/** The partition count; fails (and is asked again next time) while Kafka cannot say. */
	public Mono<Integer> count() {
		Integer count = known;
		if (count != null) {
			return Mono.just(count);
		}
		// The producer's metadata call blocks until Kafka answers.
		return Mono.fromCallable(() -> known = kafka.partitionsFor(Topics.PRESENCE_EVENTS).size())
			.subscribeOn(Schedulers.boundedElastic());
	}

}
