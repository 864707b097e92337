package dev.chat.message.pipeline;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

import dev.chat.common.events.MessageCommand;
import dev.chat.common.events.MessageCommand.DeleteMessage;
import dev.chat.common.events.MessageCommand.EditMessage;
import dev.chat.common.events.MessageEvent;
import dev.chat.message.MessageRules;
import dev.chat.message.membership.RoomAccess;
import dev.chat.message.store.Bucket;
import dev.chat.message.store.Entry;
import dev.chat.message.store.MessageId;
import dev.chat.message.store.MessageStore;

/**
 * Applies one edit or delete: an entry of its own at the room's next seq, and the message's
 * {@code created} entry changed in place (first, recording the command; see
 * {@link MessageStore}). Only the sender may edit; the sender or the room's owner may delete;
 * a deleted message can be neither edited nor deleted again.
 */
@Component
class ChangeStep {

	private static final Logger log = LoggerFactory.getLogger(ChangeStep.class);

	private final MessageStore store;

	ChangeStep(MessageStore store) {
		this.store = store;
	}

	Mono<Void> apply(RoomState room, Command command) {
		MessageCommand change = command.command();
		String messageId = switch (change) {
			case EditMessage edit -> edit.messageId();
			case DeleteMessage delete -> delete.messageId();
			case MessageCommand.SendMessage send -> throw new IllegalArgumentException("not a change: " + send);
		};
		if (!room.roomId.equals(change.roomId()) || change.commandId() == null || change.userId() == null
				|| change.userId().isBlank()
				|| (change instanceof EditMessage edit && MessageRules.bodyProblem(edit.body()) != null)) {
			return reject(room, change, Rejections.INVALID_COMMAND);
		}
		Optional<MessageId> target = MessageId.parse(room.roomId, messageId);
		if (target.isEmpty()) {
			return reject(room, change, Rejections.MESSAGE_NOT_FOUND);
		}
		return store.commandSeq(room.roomId, change.commandId())
			.flatMap(seq -> stored(room, seq))
			.switchIfEmpty(Mono.defer(() -> change(room, change, target.get())))
			.doOnNext(event -> room.publishLater(List.of(event)))
			.then();
	}

	/** A change stored by an earlier delivery: its original event, from the store. */
	private Mono<MessageEvent> stored(RoomState room, long seq) {
		return store.bucket(room.roomId, Bucket.numberOf(seq))
			.map(bucket -> bucket.entry(seq)
				.orElseThrow(() -> new IllegalStateException(
						"room " + room.roomId + " has a command key for seq " + seq + " but no entry there")))
			.flatMap(entry -> message(room, entry.messageId()).map(message -> switch (entry) {
				case Entry.Edited edit -> StoredEvents.edited(room.roomId, edit, message);
				case Entry.Deleted delete -> StoredEvents.deleted(room.roomId, delete, message);
				case Entry.Created created -> throw new IllegalStateException("a command key points at a message");
			}));
	}

	private Mono<MessageEvent> change(RoomState room, MessageCommand change, MessageId target) {
		if (target.seq() > room.lastSeq) {
			return rejection(room, change, Rejections.MESSAGE_NOT_FOUND);
		}
		return store.bucket(room.roomId, Bucket.numberOf(target.seq())).flatMap(bucket -> {
			if (!(bucket.entry(target.seq()).orElse(null) instanceof Entry.Created message)) {
				return rejection(room, change, Rejections.MESSAGE_NOT_FOUND);
			}
			// A retry of an attempt that changed the message and stopped: it was allowed then.
			boolean resumed = change.commandId().equals(message.lastChange());
			Mono<String> refusal = resumed ? Mono.empty() : refusal(room, change, message);
			return refusal.flatMap(reason -> rejection(room, change, reason))
				.switchIfEmpty(Mono.defer(() -> store(room, change, bucket, message, resumed)));
		});
	}

	private Mono<String> refusal(RoomState room, MessageCommand change, Entry.Created message) {
		return room.access(change.userId()).flatMap(access -> {
			if (!(access instanceof RoomAccess.Member member)) {
				return Mono.just(Rejections.NOT_MEMBER);
			}
			if (message.deleted()) {
				return Mono.just(Rejections.MESSAGE_DELETED);
			}
			boolean sender = message.senderId().equals(change.userId());
			return switch (change) {
				case EditMessage edit -> sender ? Mono.empty() : Mono.just(Rejections.NOT_SENDER);
				case DeleteMessage delete -> sender || member.owner() ? Mono.empty() : Mono.just(Rejections.NOT_OWNER);
				case MessageCommand.SendMessage send -> Mono.error(new IllegalArgumentException("not a change"));
			};
		});
	}

	private Mono<MessageEvent> store(RoomState room, MessageCommand change, Bucket bucket, Entry.Created message,
			boolean resumed) {
		long seq = room.lastSeq + 1;
		UUID eventId = UUID.randomUUID();
		Entry entry;
		Entry.Created changed;
		switch (change) {
			case EditMessage edit -> {
				Instant at = resumed ? message.editedAt() : RoomState.now();
				changed = new Entry.Created(message.seq(), message.messageId(), message.senderId(),
						message.clientMsgId(), edit.body(), message.sentAt(), at, null, null, message.eventId(),
						change.commandId());
				entry = new Entry.Edited(seq, message.messageId(), change.userId(), at, eventId, change.commandId());
			}
			case DeleteMessage delete -> {
				Instant at = resumed ? message.deletedAt() : RoomState.now();
				changed = new Entry.Created(message.seq(), message.messageId(), message.senderId(),
						message.clientMsgId(), null, message.sentAt(), message.editedAt(), at, change.userId(),
						message.eventId(), change.commandId());
				entry = new Entry.Deleted(seq, message.messageId(), change.userId(), at, eventId, change.commandId());
			}
			case MessageCommand.SendMessage send -> throw new IllegalArgumentException("not a change: " + send);
		}
		return store.change(bucket, changed)
			.then(store.append(room.roomId, List.of(entry)))
			.then(store.writeKeys(room.roomId, List.of(entry)))
			// The counter follows for the whole batch (BatchProcessor).
			.then(Mono.fromSupplier(() -> {
				room.lastSeq = seq;
				log.atInfo()
					.addKeyValue("roomId", room.roomId)
					.addKeyValue("seq", seq)
					.addKeyValue("messageId", message.messageId().toString())
					.addKeyValue("commandId", change.commandId())
					.addKeyValue("userId", change.userId())
					.log(entry instanceof Entry.Edited ? "message edited" : "message deleted");
				return switch (entry) {
					case Entry.Edited edit -> StoredEvents.edited(room.roomId, edit, changed);
					case Entry.Deleted delete -> StoredEvents.deleted(room.roomId, delete, changed);
					case Entry.Created created -> throw new IllegalStateException("not a change entry");
				};
			}));
	}

	/** The message an entry is about, in its current state. */
	private Mono<Entry.Created> message(RoomState room, MessageId id) {
		return store.bucket(room.roomId, Bucket.numberOf(id.seq()))
			.map(bucket -> bucket.entry(id.seq()).orElse(null) instanceof Entry.Created created ? created
					: unexpected(room, id));
	}

	private static Entry.Created unexpected(RoomState room, MessageId id) {
		throw new IllegalStateException("room " + room.roomId + " has no message at seq " + id.seq());
	}

	private Mono<Void> reject(RoomState room, MessageCommand change, String reason) {
		return rejection(room, change, reason).doOnNext(event -> room.publishLater(List.of(event))).then();
	}

	private static Mono<MessageEvent> rejection(RoomState room, MessageCommand change, String reason) {
		log.atInfo()
			.addKeyValue("roomId", room.roomId)
			.addKeyValue("userId", change.userId())
			.addKeyValue("commandId", change.commandId())
			.addKeyValue("reason", reason)
			.log("change rejected");
		return Mono.just(room.rejection(change, reason));
	}

}
