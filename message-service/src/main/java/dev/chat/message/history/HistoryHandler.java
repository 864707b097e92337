package dev.chat.message.history;

import reactor.core.publisher.Mono;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

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
