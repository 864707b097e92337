package dev.chat.message.pipeline;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import dev.chat.message.store.Claim;
import dev.chat.message.store.Entry;
import dev.chat.message.store.MessageId;
import dev.chat.message.store.MessageStore;

/**
 * Stores the runs of consecutive sends of many rooms at once, in the order {@link MessageStore}
 * prescribes, with a fixed number of round trips whatever the number of rooms: one insert of all
 * keys (claims), one bulk append (the counters follow for the whole batch). Measured on FerretDB:
 * fifty keys inserted together cost what one does, fifty bucket appends in one bulk write a third
 * of fifty single ones.
 *
 * <p>
 * Each send is checked (well-formed, its sender a member) and given the room's next seq; its key
 * is inserted with that seq. A key that exists already is read with the entry at its seq: if that
 * entry is the same send, the send was stored before and is answered with its original event;
 * otherwise the key is a leftover of an attempt that never appended, and the send is stored
 * afresh (renumbered, its key rewritten). Duplicates are rare, so that read is too.
 */
@Component
class SendStep {

	private static final Logger log = LoggerFactory.getLogger(SendStep.class);

	/** Lookups (memberships, leftover keys) in flight at once. */
	private static final int LOOKUPS = 16;

	/**
	 * One room's run of sends.
	 *
	 * @param room the room's state
	 * @param commands the sends, in partition order
	 */
	record Run(RoomState room, List<Command> commands) {
	}

	/** A distinct send of a run (the same send twice in a run is stored once, answered twice). */
	private static final class Send {

		final SendMessage command;

		final String key;

		long seq;

		boolean keyExisted;

		/** The stored entry when the send was stored before. */
		Entry.Created stored;

		Send(SendMessage command, String key) {
			this.command = command;
			this.key = key;
		}

	}

	/** A run being stored: per command, a rejection or its send. */
	private static final class Sends {

		final RoomState room;

		final List<Object> answers = new ArrayList<>();

		final Map<String, Send> distinct = new LinkedHashMap<>();

		Sends(RoomState room) {
			this.room = room;
		}

		List<Send> fresh() {
			return distinct.values().stream().filter(send -> send.stored == null).toList();
		}

	}

	private final MessageStore store;

	SendStep(MessageStore store) {
		this.store = store;
	}

	Mono<Void> apply(List<Run> runs) {
		return Flux.fromIterable(runs)
			.flatMap(this::decide, LOOKUPS)
			.collectList()
			.flatMap(rooms -> claim(rooms).then(Mono.defer(() -> write(rooms))));
	}

	/** Checks every send of the run; the accepted ones get the room's next seqs, tentatively. */
	private Mono<Sends> decide(Run run) {
		Sends sends = new Sends(run.room());
		return Flux.fromIterable(run.commands())
			.flatMapSequential(command -> check(run.room(), (SendMessage) command.command()), LOOKUPS)
			.doOnNext(answer -> {
				if (answer instanceof SendMessage send) {
					answer = sends.distinct.computeIfAbsent(
							Claim.keyOf(run.room().roomId, send.userId(), send.clientMsgId()),
							key -> new Send(send, key));
				}
				sends.answers.add(answer);
			})
			.then(Mono.fromSupplier(() -> {
				long seq = run.room().lastSeq;
				for (Send send : sends.distinct.values()) {
					send.seq = ++seq;
				}
				return sends;
			}));
	}

	/** The send itself if it may be stored, otherwise its rejection. */
	private Mono<Object> check(RoomState room, SendMessage send) {
		if (!room.roomId.equals(send.roomId()) || send.commandId() == null || send.userId() == null
				|| send.userId().isBlank() || !MessageRules.isClientMsgId(send.clientMsgId())
				|| MessageRules.bodyProblem(send.body()) != null) {
			return Mono.just(rejected(room, send, Rejections.INVALID_COMMAND));
		}
		return room.access(send.userId()).map(access -> switch (access) {
			case RoomAccess.NoSuchRoom none -> rejected(room, send, Rejections.ROOM_NOT_FOUND);
			case RoomAccess.NotMember none -> rejected(room, send, Rejections.NOT_MEMBER);
			case RoomAccess.Member member -> send;
		});
	}

	/**
	 * Step 1: every send's key, claimed at its seq in one insert; then the sends whose key
	 * existed are told apart, and the runs renumbered where needed.
	 */
	private Mono<Void> claim(List<Sends> rooms) {
		List<Claim> claims = new ArrayList<>();
		rooms.forEach(sends -> sends.distinct.values().forEach(send -> claims.add(new Claim(send.key, send.seq))));
		return store.claim(claims).flatMap(existing -> {
			if (existing.isEmpty()) {
				return Mono.empty();
			}
			return Flux.fromIterable(rooms)
				.filter(sends -> sends.distinct.keySet().stream().anyMatch(existing::contains))
				.flatMap(sends -> resolve(sends, existing), LOOKUPS)
				.collectList()
				.flatMap(reclaims -> store.reclaim(reclaims.stream().flatMap(List::stream).toList()));
		});
	}

	/**
	 * Tells the sends of a room whose key existed apart, renumbers the room's fresh sends, and
	 * answers the claims that must be rewritten.
	 */
	private Mono<List<Claim>> resolve(Sends sends, Set<String> existing) {
		RoomState room = sends.room;
		return Flux.fromIterable(sends.distinct.values())
			.filter(send -> existing.contains(send.key))
			.flatMap(send -> store.claimedSeq(send.key)
				.flatMap(seq -> store.bucket(room.roomId, Bucket.numberOf(seq)).flatMap(bucket -> {
					if (bucket.entry(seq).orElse(null) instanceof Entry.Created message
							&& message.senderId().equals(send.command.userId())
							&& message.clientMsgId().equals(send.command.clientMsgId())) {
						send.stored = message;
					}
					send.keyExisted = true;
					return Mono.just(send);
				})), LOOKUPS)
			.then(Mono.fromSupplier(() -> {
				List<Claim> reclaims = new ArrayList<>();
				long seq = room.lastSeq;
				for (Send send : sends.fresh()) {
					seq++;
					if (send.keyExisted || send.seq != seq) {
						reclaims.add(new Claim(send.key, seq));
					}
					send.seq = seq;
				}
				long duplicates = sends.distinct.values().stream().filter(send -> send.stored != null).count();
				log.atInfo()
					.addKeyValue("roomId", room.roomId)
					.addKeyValue("duplicates", duplicates)
					.addKeyValue("leftoverKeys", sends.distinct.values().stream().filter(s -> s.keyExisted).count() - duplicates)
					.log("sends already stored are answered with their stored messages");
				return reclaims;
			}));
	}

	/**
	 * Step 2: every room's new entries in one bulk append. (Step 3, the counters, comes with the
	 * publication, for the whole batch: {@link BatchProcessor}.)
	 */
	private Mono<Void> write(List<Sends> rooms) {
		Instant now = RoomState.now();
		Map<String, List<Entry>> entries = new HashMap<>();
		Map<String, Long> lastSeqs = new HashMap<>();
		Map<Send, Entry.Created> created = new HashMap<>();
		for (Sends sends : rooms) {
			List<Entry> roomEntries = new ArrayList<>();
			for (Send send : sends.fresh()) {
				Entry.Created entry = new Entry.Created(send.seq, new MessageId(sends.room.roomId, send.seq),
						send.command.userId(), send.command.clientMsgId(), send.command.body(), now, null, null, null,
						UUID.randomUUID(), null);
				roomEntries.add(entry);
				created.put(send, entry);
			}
			if (!roomEntries.isEmpty()) {
				entries.put(sends.room.roomId, roomEntries);
				lastSeqs.put(sends.room.roomId, roomEntries.getLast().seq());
			}
		}
		return store.append(entries).then(Mono.fromRunnable(() -> {
			for (Sends sends : rooms) {
				List<MessageEvent> events = new ArrayList<>(sends.answers.size());
				for (Object answer : sends.answers) {
					events.add(switch (answer) {
						case MessageEvent rejection -> rejection;
						case Send send -> StoredEvents.created(sends.room.roomId,
								send.stored != null ? send.stored : created.get(send));
						default -> throw new IllegalStateException("unexpected answer " + answer);
					});
				}
				Long lastSeq = lastSeqs.get(sends.room.roomId);
				if (lastSeq != null) {
					log.atDebug()
						.addKeyValue("roomId", sends.room.roomId)
						.addKeyValue("fromSeq", sends.room.lastSeq + 1)
						.addKeyValue("toSeq", lastSeq)
						.log("messages stored");
					sends.room.lastSeq = lastSeq;
				}
				sends.room.publishLater(events);
			}
		}));
	}

	private static MessageEvent.MessageRejected rejected(RoomState room, SendMessage send, String reason) {
		log.atInfo()
			.addKeyValue("roomId", room.roomId)
			.addKeyValue("userId", send.userId())
			.addKeyValue("clientMsgId", send.clientMsgId())
			.addKeyValue("commandId", send.commandId())
			.addKeyValue("reason", reason)
			.log("send rejected");
		return room.rejection(send, reason);
	}

}
