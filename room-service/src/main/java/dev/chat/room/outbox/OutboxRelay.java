package dev.chat.room.outbox;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.context.SmartLifecycle;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.stereotype.Component;

import dev.chat.common.kafka.Topics;

/**
 * Publishes the outbox to {@code chat.rooms}, oldest entry first, and keeps trying while Kafka is
 * down: after a failed pass it waits (doubling from {@code initial-backoff} up to
 * {@code max-backoff}) and tries again, for as long as it takes. Entries are never dropped for
 * want of Kafka.
 *
 * <p>
 * One pass at a time, woken by a new ready entry or by the poll interval. Sends run on the
 * bounded-elastic scheduler: a producer without metadata blocks in {@code send} for up to
 * {@code max.block.ms}, which must never happen on the event loop. Within a pass the records are
 * handed to the producer in outbox order from one thread, and the idempotent producer keeps that
 * order per partition, so one room's events arrive in the order they were stored.
 *
 * <p>
 * After Kafka acknowledges a record, the evidence is dropped from the change's document and then
 * the entry is deleted: a crash in between leaves an entry whose evidence is gone, which the next
 * pass discards after the grace period instead of publishing it twice. A crash between the
 * acknowledgement and the cleanup publishes the record again, with the same {@code eventId}.
 * One relay per database: several room-service instances would each publish (consumers would
 * still drop the duplicates by {@code eventId}).
 */
@Component
class OutboxRelay implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

	private final Outbox outbox;

	private final Map<String, EventSource> sources;

	private final KafkaTemplate<String, String> kafka;

	private final OutboxProperties properties;

	private volatile Disposable loop;

	// Written and read by one pass at a time, on whichever thread runs it.
	private volatile int failures;

	private volatile Instant retryAt = Instant.MIN;

	private volatile String lastError;

	OutboxRelay(Outbox outbox, List<EventSource> sources, KafkaTemplate<String, String> roomEventTemplate,
			OutboxProperties properties) {
		this.outbox = outbox;
		this.sources = sources.stream()
			.flatMap(source -> source.types().stream().map(type -> Map.entry(type, source)))
			.collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
		this.kafka = roomEventTemplate;
		this.properties = properties;
	}

	@Override
	public void start() {
		loop = Flux.merge(outbox.wakeUps(), Flux.interval(properties.pollInterval()).map(tick -> Boolean.TRUE))
			.onBackpressureDrop()
			.concatMap(wakeUp -> pass().onErrorResume(error -> {
				log.atWarn().setCause(error).log("outbox pass failed; retrying on the next poll");
				return Mono.empty();
			}), 1)
			.subscribe();
	}

	@Override
	public void stop() {
		Disposable running = loop;
		if (running != null) {
			running.dispose();
		}
		loop = null;
	}

	@Override
	public boolean isRunning() {
		return loop != null;
	}

	/** Passes in a row in which Kafka did not take every record; 0 while publishing works. */
	int failedPasses() {
		return failures;
	}

	/** Publishes what can be published now; completes with the number of records Kafka acknowledged. */
	Mono<Integer> pass() {
		Instant now = outbox.now();
		return outbox.oldest(properties.batchSize())
			.concatMap(entry -> publishable(entry, now))
			.collectList()
			.flatMap(entries -> entries.isEmpty() || now.isBefore(retryAt) ? Mono.just(0) : publish(entries));
	}

	/** The entry if it may be published now; judges and settles entries whose request died. */
	private Mono<OutboxEntry> publishable(OutboxEntry entry, Instant now) {
		if (entry.state() == OutboxEntry.State.READY) {
			return Mono.just(entry);
		}
		if (!entry.olderThan(properties.grace(), now)) {
			return Mono.empty(); // its request may still be writing the change
		}
		EventSource source = sources.get(entry.type());
		if (source == null) {
			log.atError().addKeyValue("eventId", entry.id()).addKeyValue("eventType", entry.type())
				.log("outbox entry of an unknown type left in place");
			return Mono.empty();
		}
		return source.isStored(entry).flatMap(stored -> {
			if (!stored) {
				log.atWarn().addKeyValue("eventId", entry.id()).addKeyValue("eventType", entry.type())
					.addKeyValue("roomId", entry.roomId())
					.log("outbox intent discarded: its change was never stored");
				return outbox.delete(entry.id()).then(Mono.empty());
			}
			log.atWarn().addKeyValue("eventId", entry.id()).addKeyValue("eventType", entry.type())
				.addKeyValue("roomId", entry.roomId())
				.log("outbox intent of a stored change completed after its request stopped");
			return source.complete(entry).then(outbox.markReady(entry.id())).thenReturn(entry);
		});
	}

	private Mono<Integer> publish(List<OutboxEntry> entries) {
		return Mono.fromCallable(() -> send(entries))
			.subscribeOn(Schedulers.boundedElastic())
			.flatMapMany(Flux::fromIterable)
			.concatMap(sent -> Mono.fromFuture(sent.result(), true)
				.flatMap(result -> cleanUp(sent.entry(), result))
				.onErrorResume(error -> failed(sent.entry(), error)))
			.reduce(0, Integer::sum)
			.doOnNext(published -> {
				if (published < entries.size()) {
					backOff();
				}
				else if (failures > 0) {
					log.atInfo().addKeyValue("failedPasses", failures).log("outbox publishing again");
					failures = 0;
					retryAt = Instant.MIN;
				}
			});
	}

	/** Hands the records to the producer in order, stopping at the first one it refuses outright. */
	private List<Sent> send(List<OutboxEntry> entries) {
		List<Sent> sent = new ArrayList<>();
		for (OutboxEntry entry : entries) {
			try {
				CompletableFuture<SendResult<String, String>> result = kafka.send(Topics.ROOMS, entry.roomId(),
						entry.payload());
				sent.add(new Sent(entry, result));
				if (result.isCompletedExceptionally()) {
					// Failed before leaving the producer (no metadata within max.block.ms): the
					// others would wait just as long each.
					break;
				}
			}
			catch (RuntimeException refused) {
				sent.add(new Sent(entry, CompletableFuture.failedFuture(refused)));
				break;
			}
		}
		return sent;
	}

	private Mono<Integer> cleanUp(OutboxEntry entry, SendResult<String, String> result) {
		log.atInfo()
			.addKeyValue("eventId", entry.id())
			.addKeyValue("eventType", entry.type())
			.addKeyValue("roomId", entry.roomId())
			.addKeyValue("partition", result.getRecordMetadata().partition())
			.addKeyValue("offset", result.getRecordMetadata().offset())
			.log("room event published");
		EventSource source = sources.get(entry.type());
		Mono<Void> evidence = source != null ? source.published(entry) : Mono.empty();
		return evidence.then(outbox.delete(entry.id())).thenReturn(1);
	}

	private Mono<Integer> failed(OutboxEntry entry, Throwable error) {
		log.atDebug().addKeyValue("eventId", entry.id()).setCause(error).log("room event not published");
		lastError = String.valueOf(NestedExceptionUtils.getMostSpecificCause(error).getMessage());
		return Mono.just(0);
	}

	private void backOff() {
		failures++;
		long factor = 1L << Math.min(failures - 1, 20);
		Duration wait = properties.initialBackoff().multipliedBy(factor);
		if (wait.compareTo(properties.maxBackoff()) > 0) {
			wait = properties.maxBackoff();
		}
		retryAt = outbox.now().plus(wait);
		log.atWarn()
			.addKeyValue("failedPasses", failures)
			.addKeyValue("retryInMs", wait.toMillis())
			.addKeyValue("error", lastError)
			.log("Kafka did not take the room events; they stay in the outbox");
	}

	private record Sent(OutboxEntry entry, CompletableFuture<SendResult<String, String>> result) {

	}

}
