package dev.chat.room.directory;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Service;

import dev.chat.common.error.ChatProblems;
import dev.chat.common.events.RoomEvent.RoomCreated;
import dev.chat.room.Caller;
import dev.chat.room.Paging;
import dev.chat.room.Problems;
import dev.chat.room.membership.Access;
import dev.chat.room.membership.MembershipService;
import dev.chat.room.membership.UserRooms;
import dev.chat.room.outbox.Outbox;
import dev.chat.room.outbox.OutboxProperties;
import dev.chat.room.room.Room;
import dev.chat.room.room.RoomIds;
import dev.chat.room.room.RoomName;
import dev.chat.room.room.RoomNames;
import dev.chat.room.room.RoomView;
import dev.chat.room.room.Rooms;
import dev.chat.room.room.Visibility;

/**
 * Creating, reading and listing rooms.
 *
 * <p>
 * Creating takes the name first ({@code room_names}, an insert that fails for a taken name, so
 * of concurrent creates of one name exactly one wins), then follows the outbox protocol: intent,
 * the room with its evidence, the owner's membership, ready. A name whose room was never stored
 * (its request died in between) is given back once the outbox's grace period has passed.
 */
@Service
class RoomDirectory {

	/** Cursors of the listing, carrying a {@code listKey}. */
	static final String CURSOR_KIND = "rooms";

	/** Cursors of {@code mine=true}, carrying a room id. */
	static final String MINE_CURSOR_KIND = "mine";

	private static final Logger log = LoggerFactory.getLogger(RoomDirectory.class);

	private final Rooms rooms;

	private final MembershipService memberships;

	private final Outbox outbox;

	private final Clock clock;

	private final OutboxProperties outboxProperties;

	RoomDirectory(Rooms rooms, MembershipService memberships, Outbox outbox, Clock clock,
			OutboxProperties outboxProperties) {
		this.rooms = rooms;
		this.memberships = memberships;
		this.outbox = outbox;
		this.clock = clock;
		this.outboxProperties = outboxProperties;
	}

	/** Creates the room with the caller as owner and first member; 409 if the name is taken. */
	Mono<RoomView> create(Caller caller, CreateRoomRequest request) {
		Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
		String name = RoomNames.clean(request.name());
		Visibility visibility = Visibility.fromWire(request.visibility());
		String description = request.description() == null || request.description().isBlank() ? null
				: request.description().strip();
		String roomId = RoomIds.next();
		RoomCreated event = RoomCreated.of(roomId, name, visibility.wireName(), caller.userId(), now);
		Room room = new Room(roomId, name, RoomNames.key(name), description, visibility, caller.userId(), 1, now,
				event.eventId().toString(), null);
		return reserve(new RoomName(room.nameKey(), roomId, now))
			.then(outbox.intend(event, roomId))
			.then(rooms.insert(room))
			.flatMap(memberships::enrolOwner)
			.then(outbox.ready(event))
			.timeout(outboxProperties.requestTimeout())
			.doOnSuccess(done -> log.atInfo()
				.addKeyValue("eventId", room.createdEventId())
				.addKeyValue("roomId", roomId)
				.addKeyValue("ownerId", caller.userId())
				.addKeyValue("visibility", visibility.wireName())
				.log("room created"))
			.thenReturn(RoomView.of(room, true, false, caller.userId()));
	}

	/** The room as the caller sees it; 404 if it does not exist or the caller may not see it. */
	Mono<RoomView> get(Caller caller, String roomId) {
		return rooms.find(roomId)
			.flatMap(room -> memberships.access(caller, room))
			.filter(Access::canSee)
			.map(access -> RoomView.of(access.room(), access.member(), access.invited(), caller.userId()))
			.switchIfEmpty(Mono.error(Problems::roomNotFound));
	}

	/**
	 * A page of the rooms the caller may list, in creation order: public rooms and the private
	 * rooms they are a member of, or ({@code mine}) only the rooms they are a member of; with
	 * {@code query}, only those whose name contains it, ignoring case. {@code after} is the
	 * cursor's key: a {@code listKey}, or with {@code mine} a room id.
	 */
	Mono<Paging.Page<RoomView>> list(Caller caller, String query, boolean mine, int limit, String after) {
		String nameKeyPart = query == null || query.isBlank() ? null : RoomNames.key(query);
		return memberships.roomsOf(caller.userId()).flatMap(own -> {
			Set<String> memberOf = new HashSet<>(own.roomsOrEmpty());
			Mono<Paging.Page<Room>> page = mine
					? mine(own, after, nameKeyPart).take(limit + 1L)
						.collectList()
						.map(found -> Paging.page(MINE_CURSOR_KIND, found, limit, Room::id))
					: rooms.scan(own.privateRoomsOrEmpty(), after, nameKeyPart, limit + 1)
						.take(limit + 1L)
						.collectList()
						.map(found -> Paging.page(CURSOR_KIND, found, limit, Room::listKey));
			return page.map(rooms -> rooms.map(room -> RoomView.of(room, memberOf.contains(room.id()), false,
					caller.userId())));
		});
	}

	/** The caller's rooms after {@code afterId}, read one by one by id: no scan. */
	private Flux<Room> mine(UserRooms own, String afterId, String nameKeyPart) {
		List<String> ids = own.roomsOrEmpty()
			.stream()
			.filter(id -> afterId == null || id.compareTo(afterId) > 0)
			.sorted()
			.toList();
		return rooms.findAll(ids).filter(room -> nameKeyPart == null || room.nameKey().contains(nameKeyPart));
	}

	/** Takes the name, giving back a name left behind by a create that died; 409 if it is taken. */
	private Mono<Void> reserve(RoomName name) {
		return rooms.reserveName(name).flatMap(reserved -> {
			if (reserved) {
				return Mono.empty();
			}
			return rooms.findName(name.id())
				.filterWhen(this::isOrphan)
				.flatMap(rooms::releaseName)
				.filter(Boolean::booleanValue)
				.flatMap(released -> rooms.reserveName(name))
				.filter(Boolean::booleanValue)
				.switchIfEmpty(Mono.error(() -> ChatProblems.conflict("A room with this name already exists.")))
				.then();
		});
	}

	/** A name held for a room that was never stored, by a request that cannot still be running. */
	private Mono<Boolean> isOrphan(RoomName holder) {
		if (!holder.reservedAt().plus(outboxProperties.grace()).isBefore(clock.instant())) {
			return Mono.just(false);
		}
		return rooms.find(holder.roomId()).hasElement().map(exists -> !exists);
	}

}
