package dev.chat.message.history;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

import dev.chat.message.store.Bucket;
import dev.chat.message.store.Entry;
import dev.chat.message.store.MessageStore;

/**
 * Reads history and replay pages from the buckets their seq range falls in, by {@code _id}:
 * never a query, so a page costs the same in a room of a million messages as in a new one. Only
 * entries up to the room's counter are shown; anything above it is not committed yet.
 */
@Component
class HistoryService {

	/** Buckets read at once; more would mostly fetch what a page does not need. */
	private static final int MAX_AHEAD = 4;

	private final MessageStore store;

	HistoryService(MessageStore store) {
		this.store = store;
	}

	/**
	 * Messages before {@code beforeSeq} (newest first; from the newest when null), or after
	 * {@code afterSeq} (oldest first) when that is given.
	 */
	Mono<HistoryPages.MessagesPage> messages(String roomId, long lastSeq, Long beforeSeq, Long afterSeq, int limit) {
		boolean forwards = afterSeq != null;
		long from = forwards ? afterSeq + 1 : 1;
		long to = forwards || beforeSeq == null ? lastSeq : Math.min(beforeSeq - 1, lastSeq);
		// Edits and deletes are entries too: read on until limit + 1 messages (the one more says
		// whether there are more), or the range ends.
		int ahead = (int) Math.min(MAX_AHEAD, (limit + Bucket.SIZE) / Bucket.SIZE + 1);
		return store.entries(roomId, from, to, !forwards, ahead)
			.ofType(Entry.Created.class)
			.take(limit + 1L)
			.map(message -> MessageView.of(roomId, message.seq(), message))
			.collectList()
			.map(found -> new HistoryPages.MessagesPage(found.subList(0, Math.min(limit, found.size())), lastSeq,
					found.size() > limit));
	}

	/**
	 * The room's entries after {@code afterSeq}, each with its message's current state: for an
	 * edit or a delete of an older message, that message's bucket is read too.
	 */
	Mono<HistoryPages.EventsPage> events(String roomId, long lastSeq, long afterSeq, int limit) {
		long to = afterSeq >= lastSeq ? lastSeq : Math.min(lastSeq, afterSeq + limit);
		return store.entries(roomId, afterSeq + 1, to, false, MAX_AHEAD).collectList().flatMap(entries -> {
			Map<Long, Entry.Created> messages = new HashMap<>();
			entries.stream()
				.filter(Entry.Created.class::isInstance)
				.forEach(entry -> messages.put(entry.seq(), (Entry.Created) entry));
			Set<Long> missing = new TreeSet<>();
			entries.stream()
				.filter(entry -> !messages.containsKey(entry.messageId().seq()))
				.forEach(entry -> missing.add(Bucket.numberOf(entry.messageId().seq())));
			return Flux.fromIterable(missing)
				.flatMap(number -> store.bucket(roomId, number), MAX_AHEAD)
				.collectList()
				.map(buckets -> {
					buckets.forEach(bucket -> bucket.entries()
						.stream()
						.filter(Entry.Created.class::isInstance)
						.forEach(entry -> messages.put(entry.seq(), (Entry.Created) entry)));
					return new HistoryPages.EventsPage(views(roomId, entries, messages), lastSeq, to < lastSeq);
				});
		});
	}

	private static List<MessageView> views(String roomId, List<Entry> entries, Map<Long, Entry.Created> messages) {
		return entries.stream().map(entry -> {
			Entry.Created message = messages.get(entry.messageId().seq());
			if (message == null) {
				throw new IllegalStateException(
						"room " + roomId + " entry " + entry.seq() + " refers to a missing message " + entry.messageId());
			}
			return MessageView.of(roomId, entry.seq(), message);
		}).toList();
	}

}
