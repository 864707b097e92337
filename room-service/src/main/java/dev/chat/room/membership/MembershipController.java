package dev.chat.room.membership;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.chat.common.docs.ChatOpenApi;
import dev.chat.room.Caller;
import dev.chat.room.Paging;
import dev.chat.room.room.RoomIds;
import dev.chat.room.room.RoomView;

/**
 * Membership endpoints under {@code /api/rooms/{roomId}}; the rules are on
 * {@link MembershipService}.
 * <ul>
 * <li>{@code POST join}: 200 with the room as the caller now sees it;
 * <li>{@code POST leave}: 204;
 * <li>{@code POST invites {userId}}: 201 with the invitation, 200 if it existed;
 * <li>{@code POST owner {userId}}: 200 with the room;
 * <li>{@code GET members?limit=&cursor=}: a page of members in user id order.
 * </ul>
 */
@Tag(name = "membership", description = "Join, leave, invite, hand over ownership, list members")
@RestController
class MembershipController {

	private final MembershipService memberships;

	MembershipController(MembershipService memberships) {
		this.memberships = memberships;
	}

	@Operation(summary = "Join a public room, or a private one the caller is invited to; joining twice is joining once")
	@ApiResponse(responseCode = "200", description = "The room as the caller now sees it")
	@ApiResponse(responseCode = "403", ref = ChatOpenApi.FORBIDDEN, description = "A private room, not invited")
	@ApiResponse(responseCode = "404", ref = ChatOpenApi.NOT_FOUND)
	@PostMapping("/api/rooms/{roomId}/join")
	Mono<RoomView> join(@PathVariable String roomId, JwtAuthenticationToken authentication) {
		return memberships.join(Caller.of(authentication), RoomIds.require(roomId, "roomId"));
	}

	@Operation(summary = "Leave a room")
	@ApiResponse(responseCode = "204", description = "Left")
	@ApiResponse(responseCode = "404", ref = ChatOpenApi.NOT_FOUND)
	@ApiResponse(responseCode = "409", ref = ChatOpenApi.CONFLICT, description = "An owner, and others remain")
	@PostMapping("/api/rooms/{roomId}/leave")
	Mono<ResponseEntity<Void>> leave(@PathVariable String roomId, JwtAuthenticationToken authentication) {
		return memberships.leave(Caller.of(authentication), RoomIds.require(roomId, "roomId"))
			.thenReturn(ResponseEntity.noContent().build());
	}

	@Operation(summary = "Invite a user to a room (its owner or an admin)")
	@ApiResponse(responseCode = "201", description = "Invited")
	@ApiResponse(responseCode = "200", description = "Was invited already")
	@ApiResponse(responseCode = "403", ref = ChatOpenApi.FORBIDDEN)
	@ApiResponse(responseCode = "404", ref = ChatOpenApi.NOT_FOUND)
	@ApiResponse(responseCode = "409", ref = ChatOpenApi.CONFLICT, description = "The user is a member already")
	@PostMapping("/api/rooms/{roomId}/invites")
	Mono<ResponseEntity<InvitationView>> invite(@PathVariable String roomId,
			@Valid @RequestBody UserIdRequest request, JwtAuthenticationToken authentication) {
		return memberships.invite(Caller.of(authentication), RoomIds.require(roomId, "roomId"), request.userId())
			.map(invited -> ResponseEntity.status(invited.created() ? HttpStatus.CREATED : HttpStatus.OK)
				.body(invited.invitation()));
	}

	@Operation(summary = "Hand ownership over to a member (the owner or an admin)")
	@ApiResponse(responseCode = "200", description = "The room")
	@ApiResponse(responseCode = "403", ref = ChatOpenApi.FORBIDDEN)
	@ApiResponse(responseCode = "404", ref = ChatOpenApi.NOT_FOUND)
	@ApiResponse(responseCode = "409", ref = ChatOpenApi.CONFLICT, description = "The user is not a member")
	@PostMapping("/api/rooms/{roomId}/owner")
	Mono<RoomView> handOver(@PathVariable String roomId, @Valid @RequestBody UserIdRequest request,
			JwtAuthenticationToken authentication) {
		return memberships.handOver(Caller.of(authentication), RoomIds.require(roomId, "roomId"), request.userId());
	}

	@Operation(summary = "A page of the room's members, in user id order")
	@ApiResponse(responseCode = "200", description = "A page of members")
	@ApiResponse(responseCode = "403", ref = ChatOpenApi.FORBIDDEN)
	@ApiResponse(responseCode = "404", ref = ChatOpenApi.NOT_FOUND)
	@Parameter(name = "limit", description = "Page size, 1 to 100 (default 20).", example = "20")
	@Parameter(name = "cursor", description = "The `nextCursor` of the previous page.")
	@GetMapping("/api/rooms/{roomId}/members")
	Mono<Paging.Page<MemberView>> members(@PathVariable String roomId,
			@RequestParam(required = false) String limit, @RequestParam(required = false) String cursor,
			JwtAuthenticationToken authentication) {
		String id = RoomIds.require(roomId, "roomId");
		int size = Paging.limit(limit);
		String after = Paging.after(MemberView.CURSOR_KIND, cursor, MembershipController::isUserId);
		return memberships.members(Caller.of(authentication), id, size, after);
	}

	private static boolean isUserId(String key) {
		return key.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
	}

}
