package dev.chat.message.history;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import reactor.core.publisher.Mono;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.chat.common.docs.ChatOpenApi;
import dev.chat.common.error.ChatProblems;
import dev.chat.message.MessageProperties;
import dev.chat.message.membership.Memberships;

/**
 * {@code GET /api/rooms/{roomId}/messages} (history pages) and
 * {@code GET /api/rooms/{roomId}/events} (the room's sequence after a seq, which the gateway
 * replays to a socket that subscribes with {@code sinceSeq}). Members only: 404 for an unknown
 * room, 403 for a non-member. The membership check and the reading run side by side; nothing
 * read is answered before the check has passed.
 */
@Tag(name = "messages")
@RestController
@RequestMapping("/api/rooms/{roomId}")
class HistoryHandler {

	private final Memberships memberships;

	private final HistoryService history;

	private final MessageProperties.History limits;

	HistoryHandler(Memberships memberships, HistoryService history, MessageProperties properties) {
		this.memberships = memberships;
		this.history = history;
		this.limits = properties.history();
	}

	@Operation(summary = "A page of history, each message in its current state (members)")
	@Parameter(name = "beforeSeq", description = "Messages before this seq, newest page first; not with afterSeq.")
	@Parameter(name = "afterSeq", description = "Messages after this seq.", example = "0")
	@Parameter(name = "limit", description = "Page size, 1 to 200 (default 50).", example = "50")
	@ApiResponse(responseCode = "200", description = "A page of messages")
	@ApiResponse(responseCode = "403", ref = ChatOpenApi.FORBIDDEN, description = "Not a member")
	@ApiResponse(responseCode = "404", ref = ChatOpenApi.NOT_FOUND)
	@GetMapping("/messages")
	Mono<HistoryPages.MessagesPage> messages(@PathVariable String roomId, @RequestParam(required = false) Long beforeSeq,
			@RequestParam(required = false) Long afterSeq, @RequestParam(required = false) Integer limit,
			@AuthenticationPrincipal Jwt jwt) {
		if (beforeSeq != null && afterSeq != null) {
			return Mono.error(ChatProblems.invalid("afterSeq", "cannot be combined with beforeSeq"));
		}
		if (beforeSeq != null && beforeSeq < 1) {
			return Mono.error(ChatProblems.invalid("beforeSeq", "must be at least 1"));
		}
		if (afterSeq != null && afterSeq < 0) {
			return Mono.error(ChatProblems.invalid("afterSeq", "must be at least 0"));
		}
		int pageSize = limit == null ? limits.defaultLimit() : limit;
		if (pageSize < 1 || pageSize > limits.maxLimit()) {
			return Mono.error(ChatProblems.invalid("limit", "must be between 1 and " + limits.maxLimit()));
		}
		return Mono.zip(memberships.requireMember(roomId, jwt.getSubject()),
				history.messages(roomId, beforeSeq, afterSeq, pageSize), (member, page) -> page);
	}

	@Operation(summary = "Every sequence entry after a seq (new, edited, deleted): what recovery replays")
	@Parameter(name = "afterSeq", description = "Entries after this seq.", example = "41")
	@Parameter(name = "limit", description = "Page size, 1 to 500 (default 200); `hasMore` says whether to ask again.")
	@ApiResponse(responseCode = "200", description = "A page of sequence entries")
	@ApiResponse(responseCode = "403", ref = ChatOpenApi.FORBIDDEN, description = "Not a member")
	@ApiResponse(responseCode = "404", ref = ChatOpenApi.NOT_FOUND)
	@GetMapping("/events")
	Mono<HistoryPages.EventsPage> events(@PathVariable String roomId, @RequestParam(defaultValue = "0") long afterSeq,
			@RequestParam(required = false) Integer limit, @AuthenticationPrincipal Jwt jwt) {
		if (afterSeq < 0) {
			return Mono.error(ChatProblems.invalid("afterSeq", "must be at least 0"));
		}
		int pageSize = limit == null ? limits.eventsDefaultLimit() : limit;
		if (pageSize < 1 || pageSize > limits.eventsMaxLimit()) {
			return Mono.error(ChatProblems.invalid("limit", "must be between 1 and " + limits.eventsMaxLimit()));
		}
		return Mono.zip(memberships.requireMember(roomId, jwt.getSubject()),
				history.events(roomId, afterSeq, pageSize), (member, page) -> page);
	}

}
