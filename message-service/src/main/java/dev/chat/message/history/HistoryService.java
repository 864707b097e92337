package dev.chat.message.history;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
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
 *
 * <p>
 * Each page is timed in {@code chat.history.query{kind=messages|events, outcome=success|error}},
 * from the read of the counter to the page (the store's own round trips are in
 * {@code mongodb.driver.commands}).
 */
@Component
class HistoryService {

	/** Buckets read at once; more would mostly fetch what a page does not need. */
	private static final int MAX_AHEAD = 4;

	private final MessageStore store;

	private final RoomTails tails;

	private final PageTimers messagePages;

	private final PageTimers eventPages;

	HistoryService(MessageStore store, RoomTails tails, MeterRegistry meters) {
		this.store = store;
		this.tails = tails;
		this.messagePages = new PageTimers(meters, "messages");
		this.eventPages = new PageTimers(meters, "events");
	}

	/** The timers of one kind of page, made once. */
	private record PageTimers(Timer success, Timer error) {

		PageTimers(MeterRegistry meters, String kind) {
			this(timer(meters, kind, "success"), timer(meters, kind, "error"));
		}

		private static Timer timer(MeterRegistry meters, String kind, String outcome) {
			return Timer.builder("chat.history.query")
				.description("History and recovery pages read from the store")
				.tag("kind", kind)
				.tag("outcome", outcome)
				.publishPercentileHistogram()
				.register(meters);
		}

		<T> Mono<T> timed(Mono<T> page) {
			return Mono.defer(() -> {
				long start = System.nanoTime();
				return page.doOnSuccess(done -> success.record(System.nanoTime() - start, TimeUnit.NANOSECONDS))
					.doOnError(failed -> error.record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
			});
		}

	}

	/**
	 * Messages before {@code beforeSeq} (newest first; from the newest when null), or after
	 * {@code afterSeq} (oldest first) when that is given.
	 *
	 * <p>
	 * A backwards page whose top is known (from {@code beforeSeq}, or for the first page from the
	 * last seq this instance saw in the room) reads its buckets while the counter is read: one
	 * round trip instead of two. Read side by side, the buckets may be older than the counter; the
	 * page is used only if its entries run without a gap from the top the counter allows,
	 * otherwise it is read again the ordinary way (counter first, then buckets, which are then
	 * never older than the counter).
	 */
	Mono<HistoryPages.MessagesPage> messages(String roomId, Long beforeSeq, Long afterSeq, int limit) {
		return messagePages.timed(page(roomId, beforeSeq, afterSeq, limit));
	}

	private Mono<HistoryPages.MessagesPage> page(String roomId, Long beforeSeq, Long afterSeq, int limit) {
		Mono<Long> counter = store.lastSeq(roomId).cache();
		Long top = afterSeq != null ? null : beforeSeq != null ? Long.valueOf(beforeSeq - 1) : tails.topOf(roomId);
		Mono<HistoryPages.MessagesPage> ordinary = counter
			.flatMap(lastSeq -> messages(roomId, lastSeq, beforeSeq, afterSeq, limit));
		if (top == null || top < 1) {
			return ordinary.doOnNext(page -> tails.saw(roomId, page.lastSeq()));
		}
		return Mono.zip(counter, backwards(roomId, top, limit))
			.flatMap(read -> Mono.justOrEmpty(page(roomId, read.getT1(), read.getT2(), top, beforeSeq == null, limit)))
			.switchIfEmpty(ordinary)
			.doOnNext(page -> tails.saw(roomId, page.lastSeq()));
	}

	/** The buckets a backwards page from {@code top} needs if it holds no edits or deletes. */
	private Mono<List<Bucket>> backwards(String roomId, long top, int limit) {
		long first = Bucket.numberOf(top);
		long last = Bucket.numberOf(Math.max(1, top - limit));
		return Flux.fromStream(() -> LongStream.rangeClosed(last, first).boxed())
			.flatMap(number -> store.bucket(roomId, number))
			.collectList();
	}

	/**
	 * The page read side by side with the counter, if it is whole: its entries from the top the
	 * counter allows run down without a gap, and there are limit + 1 messages or the room's start.
	 * For a first page, the counter must also not lie beyond what was read.
	 */
	private static Optional<HistoryPages.MessagesPage> page(String roomId, long lastSeq, List<Bucket> buckets,
			long top, boolean firstPage, int limit) {
		long from = Math.min(firstPage ? Bucket.lastSeq(Bucket.numberOf(top)) : top, lastSeq);
		if (firstPage && lastSeq > Bucket.lastSeq(Bucket.numberOf(top))) {
			return Optional.empty();
		}
		List<Entry> entries = buckets.stream()
			.flatMap(bucket -> bucket.entries().stream())
			.filter(entry -> entry.seq() <= from)
			.sorted(Comparator.comparingLong(Entry::seq).reversed())
			.toList();
		List<MessageView> messages = new ArrayList<>();
		long expected = from;
		for (Entry entry : entries) {
			if (entry.seq() != expected--) {
				return Optional.empty();
			}
			if (entry instanceof Entry.Created message && messages.size() <= limit) {
				messages.add(MessageView.of(roomId, message.seq(), message));
			}
		}
		if (expected != 0 && messages.size() <= limit) {
			return Optional.empty();
		}
		return Optional.of(new HistoryPages.MessagesPage(messages.subList(0, Math.min(limit, messages.size())),
				lastSeq, messages.size() > limit));
	}

	/** A page read the ordinary way: after the counter, bucket by bucket. */
	private Mono<HistoryPages.MessagesPage> messages(String roomId, long lastSeq, Long beforeSeq, Long afterSeq,
			int limit) {
		boolean forwards = afterSeq != null;
		if (forwards && afterSeq >= lastSeq) {
			// Nothing after the room's end; also keeps afterSeq + 1 from overflowing.
			return Mono.just(new HistoryPages.MessagesPage(List.of(), lastSeq, false));
		}
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
	Mono<HistoryPages.EventsPage> events(String roomId, long afterSeq, int limit) {
		return eventPages.timed(store.lastSeq(roomId).flatMap(lastSeq -> events(roomId, lastSeq, afterSeq, limit)));
	}

	private Mono<HistoryPages.EventsPage> events(String roomId, long lastSeq, long afterSeq, int limit) {
		if (afterSeq >= lastSeq) {
			// Nothing after the room's end; also keeps afterSeq + 1 from overflowing.
			return Mono.just(new HistoryPages.EventsPage(List.of(), lastSeq, false));
		}
		long to = Math.min(lastSeq, afterSeq + limit);
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
