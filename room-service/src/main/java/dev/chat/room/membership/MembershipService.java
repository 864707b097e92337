package dev.chat.room.membership;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Service;

import dev.chat.common.error.ChatProblems;
import dev.chat.common.events.RoomEvent.MemberInvited;
import dev.chat.common.events.RoomEvent.MemberJoined;
import dev.chat.common.events.RoomEvent.MemberLeft;
import dev.chat.room.Caller;
import dev.chat.room.Paging;
import dev.chat.room.Problems;
import dev.chat.room.outbox.Outbox;
import dev.chat.room.outbox.OutboxProperties;
import dev.chat.room.room.Room;
import dev.chat.room.room.RoomView;
import dev.chat.room.room.Rooms;
import dev.chat.room.store.DocumentLocks;

/**
 * Joining, leaving, inviting, handing over ownership and listing members.
 *
 * <p>
 * Rules:
 * <ul>
 * <li>anyone may join a public room; a private room only with an invitation (otherwise 403).
 * Joining twice is joining once;
 * <li>an owner cannot leave while other members remain (409): they hand over ownership first
 * ({@link #handOver}). An owner who is the last member may leave; the room then has no owner
 * until an admin hands it to a member. Leaving a room one is not in changes nothing;
 * <li>only the owner or a realm admin may invite (otherwise 403) and hand over ownership, and
 * only to a member;
 * <li>the members of a private room are listed only to its members (403 for others who may see
 * it).
 * </ul>
 * A private room is a 404 to whoever may not see it ({@link Access#canSee}), except on join,
 * which answers 403 without an invitation.
 *
 * <p>
 * Each change follows the outbox protocol ({@link dev.chat.room.outbox}): intent, the change with
 * its evidence, what follows from it (count, lists), then ready. Handing over ownership publishes
 * no event: no other service needs to know who owns a room.
 */
@Service
public class MembershipService {

	private static final Logger log = LoggerFactory.getLogger(MembershipService.class);

	private final Rooms rooms;

	private final Memberships memberships;

	private final Outbox outbox;

	private final DocumentLocks locks;

	private final Clock clock;

	private final OutboxProperties outboxProperties;

	MembershipService(Rooms rooms, Memberships memberships, Outbox outbox, DocumentLocks locks, Clock clock,
			OutboxProperties outboxProperties) {
		this.rooms = rooms;
		this.memberships = memberships;
		this.outbox = outbox;
		this.locks = locks;
		this.clock = clock;
		this.outboxProperties = outboxProperties;
	}

	/** What the caller is to the room: two reads by id. */
	public Mono<Access> access(Caller caller, Room room) {
		return Mono.zip(memberships.find(room.id(), caller.userId()).map(Membership::isMember).defaultIfEmpty(false),
				memberships.findInvitation(room.id(), caller.userId()).hasElement())
			.map(both -> new Access(room, caller, both.getT1(), both.getT2()));
	}

	/** The rooms the user is a member of. */
	public Mono<UserRooms> roomsOf(String userId) {
		return memberships.userRooms(userId);
	}

	/** Makes the caller a member; the room as they now see it. */
	public Mono<RoomView> join(Caller caller, String roomId) {
		return rooms.find(roomId).switchIfEmpty(Mono.error(Problems::roomNotFound)).flatMap(room -> access(caller, room))
			.flatMap(access -> {
				Room room = access.room();
				if (access.member()) {
					return Mono.just(RoomView.of(room, true, access.invited(), caller.userId()));
				}
				if (room.isPrivate() && !access.invited()) {
					return Mono.error(ChatProblems.forbidden("Only invited users may join this private room."));
				}
				Instant now = now();
				MemberJoined event = MemberJoined.of(roomId, caller.userId(), RoomView.MEMBER, now);
				return outbox.intend(event, Membership.idOf(roomId, caller.userId()))
					.then(memberships.becomeMember(roomId, caller.userId(), event.eventId().toString(), now))
					.flatMap(changed -> changed ? joined(room, caller.userId()).then(outbox.ready(event))
							.doOnSuccess(done -> logChange("member joined", event.eventId().toString(), roomId,
									caller.userId()))
							: outbox.abandon(event))
					.timeout(outboxProperties.requestTimeout())
					.then(rooms.find(roomId))
					.map(updated -> RoomView.of(updated, true, access.invited(), caller.userId()));
			});
	}

	/** Ends the caller's membership; see the class documentation for the owner's rule. */
	public Mono<Void> leave(Caller caller, String roomId) {
		return visibleRoom(caller, roomId).flatMap(access -> {
			Room room = access.room();
			if (!access.member()) {
				return Mono.empty();
			}
			if (room.isOwnedBy(caller.userId()) && room.memberCount() > 1) {
				return Mono.error(ChatProblems.conflict("The owner cannot leave while other members remain: hand "
						+ "ownership over to another member first (POST /api/rooms/" + roomId + "/owner)."));
			}
			Instant now = now();
			MemberLeft event = MemberLeft.of(roomId, caller.userId(), now);
			return outbox.intend(event, Membership.idOf(roomId, caller.userId()))
				.then(memberships.stopBeingMember(roomId, caller.userId(), event.eventId().toString(), now))
				.flatMap(changed -> changed ? left(roomId, caller.userId()).then(outbox.ready(event))
						.doOnSuccess(done -> logChange("member left", event.eventId().toString(), roomId,
								caller.userId()))
						: outbox.abandon(event))
				.timeout(outboxProperties.requestTimeout());
		});
	}

	/**
	 * Invites {@code userId}; the invitation, and whether this call created it (false: it existed,
	 * nothing changed).
	 */
	public Mono<Invited> invite(Caller caller, String roomId, String userId) {
		return manageableRoom(caller, roomId, "invite").flatMap(access -> memberships.find(roomId, userId)
			.filter(Membership::isMember)
			.flatMap(member -> Mono.<Invited>error(ChatProblems.conflict("The user is already a member of the room.")))
			.switchIfEmpty(Mono.defer(() -> memberships.findInvitation(roomId, userId)
				.map(existing -> new Invited(InvitationView.of(existing), false))))
			.switchIfEmpty(Mono.defer(() -> {
				Instant now = now();
				MemberInvited event = MemberInvited.of(roomId, userId, caller.userId(), now);
				Invitation invitation = new Invitation(Membership.idOf(roomId, userId), roomId, userId,
						caller.userId(), now, event.eventId().toString());
				return outbox.intend(event, invitation.id())
					.then(memberships.invite(invitation))
					.flatMap(created -> created
							? outbox.ready(event)
								.doOnSuccess(done -> logChange("member invited", invitation.eventId(), roomId, userId))
								.thenReturn(new Invited(InvitationView.of(invitation), true))
							: outbox.abandon(event)
								.then(memberships.findInvitation(roomId, userId))
								.map(existing -> new Invited(InvitationView.of(existing), false)))
					.timeout(outboxProperties.requestTimeout());
			})));
	}

	/** Makes the member {@code userId} the owner; the room as the caller now sees it. */
	public Mono<RoomView> handOver(Caller caller, String roomId, String userId) {
		return manageableRoom(caller, roomId, "hand over").flatMap(access -> {
			if (access.room().isOwnedBy(userId)) {
				return Mono.just(RoomView.of(access.room(), access.member(), access.invited(), caller.userId()));
			}
			// Checked against the member list under the room's lock: a leave removes the user from
			// it under the same lock, and clears the owner if it was them.
			Mono<Void> change = locks.withLock(Rooms.lockKey(roomId), () -> rooms.find(roomId)
				.zipWith(memberships.roomMembers(roomId))
				.flatMap(current -> {
					if (!caller.admin() && !current.getT1().isOwnedBy(caller.userId())) {
						return Mono.error(ChatProblems.conflict("The room's owner changed meanwhile."));
					}
					if (!current.getT2().membersOrEmpty().contains(userId)) {
						return Mono.error(ChatProblems.conflict("The new owner must be a member of the room."));
					}
					return rooms.setOwner(roomId, userId);
				}));
			return change.timeout(outboxProperties.requestTimeout())
				.doOnSuccess(done -> log.atInfo().addKeyValue("roomId", roomId).addKeyValue("ownerId", userId)
					.addKeyValue("by", caller.userId()).log("room ownership handed over"))
				.then(rooms.find(roomId))
				.map(room -> RoomView.of(room, access.member(), access.invited(), caller.userId()));
		});
	}

	/** One page of the room's members, in user id order. */
	public Mono<Paging.Page<MemberView>> members(Caller caller, String roomId, int limit, String afterUserId) {
		return visibleRoom(caller, roomId).flatMap(access -> {
			if (access.room().isPrivate() && !access.member()) {
				return Mono.error(ChatProblems.forbidden("Only members may list the members of a private room."));
			}
			Room room = access.room();
			return memberships.roomMembers(roomId).flatMap(list -> {
				List<String> next = list.membersOrEmpty()
					.stream()
					.sorted()
					.filter(userId -> afterUserId == null || userId.compareTo(afterUserId) > 0)
					.limit(limit + 1L)
					.toList();
				return reactor.core.publisher.Flux.fromIterable(next)
					.flatMapSequential(userId -> memberships.find(roomId, userId)
						.map(membership -> MemberView.of(membership, room)), 8)
					.collectList()
					.map(views -> Paging.page(MemberView.CURSOR_KIND, views, limit, MemberView::userId));
			});
		});
	}

	/**
	 * Creates what follows from a new room for its owner: membership, member list, the owner's
	 * rooms. Idempotent, so the outbox relay may run it again for a request that died.
	 */
	public Mono<Void> enrolOwner(Room room) {
		return memberships.enrolOwner(room.id(), room.ownerId(), room.createdAt())
			// No increment: the room is created with the owner counted.
			.then(locks.withLock(Rooms.lockKey(room.id()), () -> memberships.addToRoom(room.id(), room.ownerId())))
			.then(memberships.addToUser(room.ownerId(), room.id(), room.isPrivate()));
	}

	/**
	 * Brings the member list, the count and the user's rooms in line with the stored membership,
	 * for a request that died after changing it. The count is recounted from the list, not
	 * incremented: it cannot be known whether the dead request incremented it.
	 */
	Mono<Void> reconcile(String roomId, String userId) {
		return rooms.find(roomId).flatMap(room -> memberships.find(roomId, userId).flatMap(membership -> {
			boolean member = membership.isMember();
			Mono<Void> roomSide = locks.withLock(Rooms.lockKey(roomId),
					() -> (member ? memberships.addToRoom(roomId, userId) : memberships.removeFromRoom(roomId, userId))
						.then(recount(roomId))
						.then(!member ? clearOwnerIf(roomId, userId) : Mono.empty()));
			Mono<Void> userSide = member ? memberships.addToUser(userId, roomId, room.isPrivate())
					: memberships.removeFromUser(userId, roomId);
			return roomSide.then(userSide);
		}));
	}

	/** Sets the room's count to its member list's size. Takes the room's lock. */
	public Mono<Void> recountMembers(String roomId) {
		return locks.withLock(Rooms.lockKey(roomId), () -> recount(roomId));
	}

	/** What follows from a join that made the user a member. */
	private Mono<Void> joined(Room room, String userId) {
		return locks
			.withLock(Rooms.lockKey(room.id()),
					() -> memberships.addToRoom(room.id(), userId)
						.flatMap(added -> added ? rooms.addMembers(room.id(), 1) : Mono.empty()))
			.then(memberships.addToUser(userId, room.id(), room.isPrivate()));
	}

	/** What follows from a leave that ended a membership. */
	private Mono<Void> left(String roomId, String userId) {
		return locks
			.withLock(Rooms.lockKey(roomId),
					() -> memberships.removeFromRoom(roomId, userId)
						.flatMap(removed -> removed ? rooms.addMembers(roomId, -1) : Mono.empty())
						.then(clearOwnerIf(roomId, userId)))
			.then(memberships.removeFromUser(userId, roomId));
	}

	/** An owner who left (as the last member) leaves the room without owner. Under the room's lock. */
	private Mono<Void> clearOwnerIf(String roomId, String userId) {
		return rooms.find(roomId).filter(room -> room.isOwnedBy(userId)).flatMap(room -> rooms.setOwner(roomId, null));
	}

	private Mono<Void> recount(String roomId) {
		return memberships.roomMembers(roomId)
			.flatMap(list -> rooms.countMembers(roomId, list.membersOrEmpty().size()));
	}

	/** The room and what the caller is to it; 404 if it does not exist or the caller may not see it. */
	private Mono<Access> visibleRoom(Caller caller, String roomId) {
		return rooms.find(roomId)
			.flatMap(room -> access(caller, room))
			.filter(Access::canSee)
			.switchIfEmpty(Mono.error(Problems::roomNotFound));
	}

	private Mono<Access> manageableRoom(Caller caller, String roomId, String action) {
		return visibleRoom(caller, roomId).flatMap(access -> access.canManage() ? Mono.just(access)
				: Mono.error(ChatProblems.forbidden("Only the room's owner or an admin may " + action + ".")));
	}

	private Instant now() {
		// Millisecond precision: what the store keeps, so the event and the document agree.
		return clock.instant().truncatedTo(ChronoUnit.MILLIS);
	}

	private static void logChange(String message, String eventId, String roomId, String userId) {
		log.atInfo()
			.addKeyValue("eventId", eventId)
			.addKeyValue("roomId", roomId)
			.addKeyValue("userId", userId)
			.log(message);
	}

	/** The outcome of an invitation: the invitation, and whether this request created it. */
	public record Invited(InvitationView invitation, boolean created) {

	}

}
