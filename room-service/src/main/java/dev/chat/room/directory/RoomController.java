package dev.chat.room.directory;

import java.net.URI;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import reactor.core.publisher.Mono;

import org.springframework.http.ResponseEntity;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.chat.common.docs.ChatOpenApi;
import dev.chat.common.error.ChatProblems;
import dev.chat.room.Caller;
import dev.chat.room.Paging;
import dev.chat.room.room.RoomIds;
import dev.chat.room.room.RoomNames;
import dev.chat.room.room.RoomView;

/**
 * {@code POST /api/rooms} (201 with Location), {@code GET /api/rooms?q=&mine=&limit=&cursor=} and
 * {@code GET /api/rooms/{roomId}}.
 */
@Tag(name = "rooms", description = "Create, find and read rooms")
@RestController
class RoomController {

	private final RoomDirectory directory;

	RoomController(RoomDirectory directory) {
		this.directory = directory;
	}

	@Operation(summary = "Create a room; the caller becomes its owner and first member")
	@ApiResponse(responseCode = "201", description = "Created; `Location` names the room")
	@ApiResponse(responseCode = "409", ref = ChatOpenApi.CONFLICT, description = "The name is taken")
	@PostMapping("/api/rooms")
	Mono<ResponseEntity<RoomView>> create(@Valid @RequestBody CreateRoomRequest request,
			JwtAuthenticationToken authentication) {
		return directory.create(Caller.of(authentication), request)
			.map(room -> ResponseEntity.created(URI.create("/api/rooms/" + room.id())).body(room));
	}

	@Operation(summary = "A room, with its member count, the caller's role and whether the caller is invited")
	@ApiResponse(responseCode = "200", description = "The room")
	@ApiResponse(responseCode = "404", ref = ChatOpenApi.NOT_FOUND)
	@GetMapping("/api/rooms/{roomId}")
	Mono<RoomView> get(@PathVariable String roomId, JwtAuthenticationToken authentication) {
		return directory.get(Caller.of(authentication), RoomIds.require(roomId, "roomId"));
	}

	@Operation(summary = "Public rooms and the caller's private rooms, oldest first")
	@Parameter(name = "q", description = "Part of the name, ignoring case.", example = "gen")
	@Parameter(name = "mine", description = "Only rooms the caller is a member of.", example = "true")
	@Parameter(name = "limit", description = "Page size, 1 to 100 (default 20).", example = "20")
	@Parameter(name = "cursor", description = "The `nextCursor` of the previous page.")
	@GetMapping("/api/rooms")
	Mono<Paging.Page<RoomView>> list(@RequestParam(required = false) String q,
			@RequestParam(required = false) String mine, @RequestParam(required = false) String limit,
			@RequestParam(required = false) String cursor, JwtAuthenticationToken authentication) {
		if (q != null && (q.length() > RoomNames.MAX_LENGTH || !q.matches(RoomNames.ALLOWED))) {
			throw ChatProblems.invalid("q",
					"must be at most " + RoomNames.MAX_LENGTH + " characters, without control characters");
		}
		boolean onlyMine = switch (mine == null ? "" : mine) {
			case "", "false" -> false;
			case "true" -> true;
			default -> throw ChatProblems.invalid("mine", "must be true or false");
		};
		int size = Paging.limit(limit);
		String after = Paging.after(onlyMine ? RoomDirectory.MINE_CURSOR_KIND : RoomDirectory.CURSOR_KIND, cursor,
				RoomIds::isValid);
		return directory.list(Caller.of(authentication), q, onlyMine, size, after);
	}

}
