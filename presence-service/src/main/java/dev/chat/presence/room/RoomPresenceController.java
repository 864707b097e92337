package dev.chat.presence.room;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import reactor.core.publisher.Mono;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import dev.chat.common.docs.ChatOpenApi;
import dev.chat.common.error.ChatProblems;
import dev.chat.presence.Ids;
import dev.chat.presence.membership.MembershipStore;
import dev.chat.presence.tracking.RoomPresenceStore;

/**
 * {@code GET /api/rooms/{roomId}/presence}: who is online in a room, for its members. Two reads
 * by id: the caller's membership, then the room's online list. A user in their grace period is
 * still listed, as no {@code offline} has been published for them yet.
 */
@Tag(name = "presence", description = "Who is online")
@RestController
class RoomPresenceController {

	private final MembershipStore memberships;

	private final RoomPresenceStore rooms;

	RoomPresenceController(MembershipStore memberships, RoomPresenceStore rooms) {
		this.memberships = memberships;
		this.rooms = rooms;
	}

	@Operation(summary = "Who is online in a room (members only); a user within the reconnect grace is still listed")
	@ApiResponse(responseCode = "200", description = "The online members")
	@ApiResponse(responseCode = "400", ref = ChatOpenApi.BAD_REQUEST, description = "Not a room id")
	@ApiResponse(responseCode = "403", ref = ChatOpenApi.FORBIDDEN)
	@GetMapping("/api/rooms/{roomId}/presence")
	Mono<RoomPresenceView> presence(@PathVariable String roomId, @AuthenticationPrincipal Jwt jwt) {
		if (!Ids.isRoomId(roomId)) {
			return Mono.error(ChatProblems.invalid("roomId", "must be 1-64 letters, digits, - or _"));
		}
		return memberships.isMember(roomId, jwt.getSubject())
			.flatMap(member -> member ? rooms.online(roomId)
					: Mono.error(ChatProblems.forbidden("Only members of the room can see who is online in it.")))
			.map(online -> RoomPresenceView.of(roomId, online));
	}

}
