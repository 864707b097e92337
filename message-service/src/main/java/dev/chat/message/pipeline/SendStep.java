package dev.chat.message.pipeline;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

import dev.chat.common.events.MessageCommand.SendMessage;
import dev.chat.common.events.MessageEvent;
import dev.chat.message.MessageRules;
import dev.chat.message.membership.RoomAccess;
import dev.chat.message.store.Bucket;
import dev.chat.message.store.Entry;
import dev.chat.message.store.MessageId;
import dev.chat.message.store.MessageStore;

/**
 * Stores a run of consecutive sends of one room with a handful of writes: one append per bucket
 * touched, one insert of their keys, one counter update (in that order; see
 * {@link MessageStore}). Each send is first checked (well-formed, sender a member) and looked up
 * by its idempotency key; a send already stored is answered with its original event instead.
 */
@Component
class SendStep {

	private static final Logger log = LoggerFactory.getLogger(SendStep.class);

	/** Key lookups in flight at once; each is one read by _id. */
	private static final int LOOKUPS = 16;

	/** What became of one send, before the writes. */
	private sealed interface Decision {

		record Rejected(MessageEvent.MessageRejected event) implements Decision {
		}

		/** Stored by an earlier delivery, at {@code seq}. */
		record Stored(long seq) implements Decision {
		}

		record Fresh(SendMessage send) implements Decision {
		}

	}

	private final MessageStore store;

	SendStep(MessageStore store) {
		this.store = store;
	}

	Mono<Void> apply(RoomState room, List<Command> run) {
		return Flux.fromIterable(run)
			.flatMapSequential(command -> decide(room, command), LOOKUPS)
			.collectList()
			.flatMap(decisions -> store(room, decisions));
	}

	private Mono<Decision> decide(RoomState room, Command command) {
		SendMessage send = (SendMessage) command.command();
		if (!room.roomId.equals(send.roomId()) || send.commandId() == null || send.userId() == null
				|| send.userId().isBlank() || !MessageRules.isClientMsgId(send.clientMsgId())
				|| MessageRules.bodyProblem(send.body()) != null) {
			return Mono.just(rejected(room, send, Rejections.INVALID_COMMAND));
		}
		return room.access(send.userId()).flatMap(access -> switch (access) {
			case RoomAccess.NoSuchRoom none -> Mono.just(rejected(room, send, Rejections.ROOM_NOT_FOUND));
			case RoomAccess.NotMember none -> Mono.just(rejected(room, send, Rejections.NOT_MEMBER));
			case RoomAccess.Member member -> store.sentSeq(room.roomId, send.userId(), send.clientMsgId())
				.<Decision>map(Decision.Stored::new)
				.defaultIfEmpty(new Decision.Fresh(send));
		});
	}

	private Mono<Void> store(RoomState room, List<Decision> decisions) {
		Instant now = RoomState.now();
		// Per send, in order: the event to publish, or the seq whose stored entry answers it.
		List<Object> answers = new ArrayList<>(decisions.size());
		List<Entry> fresh = new ArrayList<>();
		Map<List<String>, Entry.Created> byKey = new HashMap<>();
		long lastSeq = room.lastSeq;
		for (Decision decision : decisions) {
			switch (decision) {
				case Decision.Rejected rejected -> answers.add(rejected.event());
				case Decision.Stored stored -> answers.add(stored.seq());
				case Decision.Fresh(SendMessage send) -> {
					// The same send twice in one run: stored once, answered twice.
					Entry.Created entry = byKey.computeIfAbsent(List.of(send.userId(), send.clientMsgId()), key -> {
						long seq = room.lastSeq + fresh.size() + 1;
						Entry.Created created = new Entry.Created(seq, new MessageId(room.roomId, seq), send.userId(),
								send.clientMsgId(), send.body(), now, null, null, null, UUID.randomUUID(),
								send.commandId(), null);
						fresh.add(created);
						return created;
					});
					answers.add(entry);
				}
			}
		}
		long newLastSeq = lastSeq + fresh.size();
		Mono<Void> writes = fresh.isEmpty() ? Mono.empty()
				: store.append(room.roomId, fresh)
					.then(store.writeKeys(room.roomId, fresh))
					.then(store.advance(room.roomId, newLastSeq));
		return writes.then(originals(room, answers)).map(originals -> {
			room.lastSeq = newLastSeq;
			List<MessageEvent> events = new ArrayList<>(answers.size());
			for (Object answer : answers) {
				events.add(switch (answer) {
					case MessageEvent event -> event;
					case Entry.Created created -> StoredEvents.created(room.roomId, created);
					case Long seq -> StoredEvents.created(room.roomId, originals.get(seq));
					default -> throw new IllegalStateException("unexpected answer " + answer);
				});
			}
			room.publishLater(events);
			if (!fresh.isEmpty()) {
				log.atDebug()
					.addKeyValue("roomId", room.roomId)
					.addKeyValue("fromSeq", lastSeq + 1)
					.addKeyValue("toSeq", newLastSeq)
					.log("messages stored");
			}
			return events;
		}).then();
	}

	/** The stored messages that answer duplicate sends, by seq: their buckets, read by _id. */
	private Mono<Map<Long, Entry.Created>> originals(RoomState room, List<Object> answers) {
		List<Long> seqs = answers.stream().filter(Long.class::isInstance).map(Long.class::cast).distinct().toList();
		if (seqs.isEmpty()) {
			return Mono.just(Map.of());
		}
		return Flux.fromIterable(seqs.stream().map(Bucket::numberOf).distinct().toList())
			.flatMap(number -> store.bucket(room.roomId, number))
			.collectList()
			.map(buckets -> {
				Map<Long, Entry.Created> found = new HashMap<>();
				for (long seq : seqs) {
					Entry entry = buckets.stream()
						.filter(bucket -> bucket.number() == Bucket.numberOf(seq))
						.findFirst()
						.flatMap(bucket -> bucket.entry(seq))
						.orElse(null);
					if (!(entry instanceof Entry.Created created)) {
						throw new IllegalStateException("room " + room.roomId + " has a send key for seq " + seq
								+ " but no message there");
					}
					found.put(seq, created);
				}
				log.atInfo()
					.addKeyValue("roomId", room.roomId)
					.addKeyValue("seqs", seqs)
					.log("duplicate sends answered with their stored messages");
				return found;
			});
	}

	private static Decision rejected(RoomState room, SendMessage send, String reason) {
		log.atInfo()
			.addKeyValue("roomId", room.roomId)
			.addKeyValue("userId", send.userId())
			.addKeyValue("clientMsgId", send.clientMsgId())
			.addKeyValue("commandId", send.commandId())
			.addKeyValue("reason", reason)
			.log("send rejected");
		return new Decision.Rejected(room.rejection(send, reason));
	}

}
