package dev.chat.room.outbox;

import java.util.Set;

import reactor.core.publisher.Mono;

/**
 * A feature whose documents carry the changes behind some event types, as the relay needs to know
 * it for entries whose request did not confirm them (it crashed, or failed after writing).
 */
public interface EventSource {

	/** The event types this feature writes, such as {@code member.joined}. */
	Set<String> types();

	/** Whether the change behind {@code entry} is stored: its document holds the entry's id. */
	Mono<Boolean> isStored(OutboxEntry entry);

	/**
	 * Finishes, idempotently, what follows from a stored change (counts, member lists) in case the
	 * request stopped between writing the change and confirming the entry.
	 */
	Mono<Void> complete(OutboxEntry entry);

	/** Drops the evidence of a published event from the change's document, if it keeps any. */
	Mono<Void> published(OutboxEntry entry);

}
