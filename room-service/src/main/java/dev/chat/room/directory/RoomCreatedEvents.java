package dev.chat.room.directory;

import java.util.Set;

import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

import dev.chat.common.events.RoomEvent;
import dev.chat.room.membership.MembershipService;
import dev.chat.room.outbox.EventSource;
import dev.chat.room.outbox.OutboxEntry;
import dev.chat.room.room.Rooms;

/**
 * Tells the outbox relay about the change behind {@code room.created}: the room document, which
 * holds its creation event's id for good (rooms are never deleted).
 */
@Component
class RoomCreatedEvents implements EventSource {

	private final Rooms rooms;

	private final MembershipService memberships;

	RoomCreatedEvents(Rooms rooms, MembershipService memberships) {
		this.rooms = rooms;
		this.memberships = memberships;
	}

	@Override
	public Set<String> types() {
		return Set.of(RoomEvent.RoomCreated.TYPE);
	}

	@Override
	public Mono<Boolean> isStored(OutboxEntry entry) {
		return rooms.find(entry.subject()).map(room -> entry.id().equals(room.createdEventId())).defaultIfEmpty(false);
	}

	@Override
	public Mono<Void> complete(OutboxEntry entry) {
		// Enrol the owner, then recount: members may have joined since the room was stored.
		return rooms.find(entry.subject())
			.flatMap(room -> memberships.enrolOwner(room).then(memberships.recountMembers(room.id())));
	}

	@Override
	public Mono<Void> published(OutboxEntry entry) {
		return Mono.empty(); // the evidence is the room itself
	}

}
