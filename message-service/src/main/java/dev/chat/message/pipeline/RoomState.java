package dev.chat.message.pipeline;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import reactor.core.publisher.Mono;

import dev.chat.common.events.MessageCommand;
import dev.chat.common.events.MessageEvent;
import dev.chat.message.membership.Memberships;
import dev.chat.message.membership.RoomAccess;

/**
 * One room's share of a polled batch while it is processed: the room's last seq as the steps
 * move it, the members looked up so far, and the events to publish in command order. The room's
 * steps run one after another, so one thread at a time changes it (with Reactor's ordering
 * between them), except the access cache, which a step may fill from parallel lookups.
 */
final class RoomState {

	final String roomId;

	final int partition;

	long lastSeq;

	private final List<MessageEvent> events = new ArrayList<>();

	private final Map<String, Mono<RoomAccess>> access = new ConcurrentHashMap<>();

	private final Memberships memberships;

	RoomState(String roomId, int partition, Memberships memberships) {
		this.roomId = roomId;
		this.partition = partition;
		this.memberships = memberships;
	}

	/** The user's access, looked up once per room and batch. */
	Mono<RoomAccess> access(String userId) {
		return access.computeIfAbsent(userId, user -> memberships.access(roomId, user).cache());
	}

	/** Adds the events of a step whose writes have all succeeded. */
	void publishLater(List<MessageEvent> stepEvents) {
		events.addAll(stepEvents);
	}

	List<MessageEvent> events() {
		return events;
	}

	/**
	 * The rejection of a command, in the room the command names (its sender's client waits there),
	 * which may differ from the record key when a producer keyed it wrongly.
	 */
	MessageEvent.MessageRejected rejection(MessageCommand command, String reason) {
		String clientMsgId = command instanceof MessageCommand.SendMessage send ? send.clientMsgId() : null;
		return new MessageEvent.MessageRejected(UUID.randomUUID(), 1,
				command.roomId() == null ? roomId : command.roomId(), command.userId(), clientMsgId, reason);
	}

	/** Now, as stored: BSON dates hold milliseconds, and a re-published event must equal the first. */
	static Instant now() {
		return Instant.now().truncatedTo(ChronoUnit.MILLIS);
	}

}
