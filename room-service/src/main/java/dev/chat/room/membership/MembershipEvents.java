package dev.chat.room.membership;

import java.util.Set;

import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

import dev.chat.common.events.RoomEvent;
import dev.chat.room.outbox.EventSource;
import dev.chat.room.outbox.OutboxEntry;

/**
 * Tells the outbox relay about the changes behind {@code member.joined} and {@code member.left}
 * (the membership document lists the event's id until it is published) and {@code member.invited}
 * (the invitation document holds its event's id for good).
 */
@Component
class MembershipEvents implements EventSource {

	private final Memberships memberships;

	private final MembershipService service;

	MembershipEvents(Memberships memberships, MembershipService service) {
		this.memberships = memberships;
		this.service = service;
	}

	@Override
	public Set<String> types() {
		return Set.of(RoomEvent.MemberJoined.TYPE, RoomEvent.MemberLeft.TYPE, RoomEvent.MemberInvited.TYPE);
	}

	@Override
	public Mono<Boolean> isStored(OutboxEntry entry) {
		if (isInvitation(entry)) {
			return memberships.findInvitation(entry.subject())
				.map(invitation -> entry.id().equals(invitation.eventId()))
				.defaultIfEmpty(false);
		}
		return memberships.find(entry.subject()).map(membership -> membership.carries(entry.id())).defaultIfEmpty(false);
	}

	@Override
	public Mono<Void> complete(OutboxEntry entry) {
		if (isInvitation(entry)) {
			return Mono.empty(); // the invitation is the whole change
		}
		return service.reconcile(Membership.roomOf(entry.subject()), Membership.userOf(entry.subject()));
	}

	@Override
	public Mono<Void> published(OutboxEntry entry) {
		return isInvitation(entry) ? Mono.empty() : memberships.dropEvidence(entry.subject(), entry.id());
	}

	private static boolean isInvitation(OutboxEntry entry) {
		return RoomEvent.MemberInvited.TYPE.equals(entry.type());
	}

}
