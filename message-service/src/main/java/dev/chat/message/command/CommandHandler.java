package dev.chat.message.command;

import java.time.Instant;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.chat.common.docs.ChatOpenApi;
import dev.chat.common.error.ChatProblems;
import dev.chat.common.events.MessageCommand;
import dev.chat.message.membership.RoomAccess;
import dev.chat.message.membership.Memberships;
import dev.chat.message.store.Bucket;
import dev.chat.message.store.Entry;
import dev.chat.message.store.MessageId;
import dev.chat.message.store.MessageStore;

/**
 * Sends, edits and deletes over REST: the request is checked here as far as it can be (input,
 * membership; for an edit or delete, that the message exists and the caller may change it),
 * then published to {@code chat.messages.inbound} like a WebSocket send, and answered 202 once
 * Kafka has it. The pipeline decides for good (it checks again, in the room's order).
 */
@Tag(name = "messages", description = "History, and sends, edits and deletes from bots and servers")
@RestController
@RequestMapping("/api/rooms/{roomId}/messages")
class CommandHandler {

	private final Memberships memberships;

	private final MessageStore store;

	private final CommandPublisher publisher;

	CommandHandler(Memberships memberships, MessageStore store, CommandPublisher publisher) {
		this.memberships = memberships;
		this.store = store;
		this.publisher = publisher;
	}

	@Operation(summary = "Send a message (members); it appears in the room, or is rejected, shortly after")
	@ApiResponse(responseCode = "202", description = "Kafka has it; a retry with the same clientMsgId is stored once")
	@ApiResponse(responseCode = "403", ref = ChatOpenApi.FORBIDDEN, description = "Not a member")
	@ApiResponse(responseCode = "404", ref = ChatOpenApi.NOT_FOUND)
	@ApiResponse(responseCode = "503", ref = ChatOpenApi.UNAVAILABLE)
	@PostMapping
	Mono<ResponseEntity<CommandRequests.SendAccepted>> send(@PathVariable String roomId,
			@Valid @RequestBody CommandRequests.Send request, @AuthenticationPrincipal Jwt jwt) {
		String userId = jwt.getSubject();
		return memberships.requireMember(roomId, userId)
			.then(publisher
				.publish(MessageCommand.SendMessage.of(roomId, userId, request.clientMsgId(), request.body())))
			.thenReturn(ResponseEntity.status(HttpStatus.ACCEPTED)
				.body(new CommandRequests.SendAccepted(roomId, request.clientMsgId())));
	}

	@Operation(summary = "Edit a message (its sender)")
	@ApiResponse(responseCode = "202", description = "Kafka has the edit")
	@ApiResponse(responseCode = "403", ref = ChatOpenApi.FORBIDDEN, description = "Not the sender")
	@ApiResponse(responseCode = "404", ref = ChatOpenApi.NOT_FOUND, description = "No such message, or deleted")
	@ApiResponse(responseCode = "503", ref = ChatOpenApi.UNAVAILABLE)
	@PatchMapping("/{messageId}")
	Mono<ResponseEntity<CommandRequests.ChangeAccepted>> edit(@PathVariable String roomId,
			@PathVariable String messageId, @Valid @RequestBody CommandRequests.Edit request,
			@AuthenticationPrincipal Jwt jwt) {
		String userId = jwt.getSubject();
		return changeable(roomId, messageId, userId, false)
			.then(publisher.publish(new MessageCommand.EditMessage(UUID.randomUUID(), 1, Instant.now(), roomId,
					userId, messageId, request.body())))
			.thenReturn(accepted(roomId, messageId));
	}

	@Operation(summary = "Delete a message (its sender or the room's owner)")
	@ApiResponse(responseCode = "202", description = "Kafka has the delete")
	@ApiResponse(responseCode = "403", ref = ChatOpenApi.FORBIDDEN)
	@ApiResponse(responseCode = "404", ref = ChatOpenApi.NOT_FOUND, description = "No such message, or deleted")
	@ApiResponse(responseCode = "503", ref = ChatOpenApi.UNAVAILABLE)
	@DeleteMapping("/{messageId}")
	Mono<ResponseEntity<CommandRequests.ChangeAccepted>> delete(@PathVariable String roomId,
			@PathVariable String messageId, @AuthenticationPrincipal Jwt jwt) {
		String userId = jwt.getSubject();
		return changeable(roomId, messageId, userId, true)
			.then(publisher.publish(
					new MessageCommand.DeleteMessage(UUID.randomUUID(), 1, Instant.now(), roomId, userId, messageId)))
			.thenReturn(accepted(roomId, messageId));
	}

	/**
	 * Completes when the user may edit (or delete) the message as the room stands now: 404 when
	 * there is no such message (or it is deleted), 403 when it is not theirs to change.
	 */
	private Mono<Void> changeable(String roomId, String messageId, String userId, boolean delete) {
		MessageId id = MessageId.parse(roomId, messageId).orElse(null);
		return Mono.zip(memberships.requireMember(roomId, userId), store.lastSeq(roomId)).flatMap(room -> {
			if (id == null || id.seq() > room.getT2()) {
				return Mono.error(ChatProblems.notFound("No such message in this room."));
			}
			RoomAccess.Member member = room.getT1();
			return store.bucket(roomId, Bucket.numberOf(id.seq())).flatMap(bucket -> {
				if (!(bucket.entry(id.seq()).orElse(null) instanceof Entry.Created message) || message.deleted()) {
					return Mono.error(ChatProblems.notFound("No such message in this room."));
				}
				boolean sender = message.senderId().equals(userId);
				if (!delete && !sender) {
					return Mono.error(ChatProblems.forbidden("Only the sender of a message may edit it."));
				}
				if (delete && !sender && !member.owner()) {
					return Mono.error(
							ChatProblems.forbidden("Only the sender or the room's owner may delete a message."));
				}
				return Mono.empty();
			});
		});
	}

	private static ResponseEntity<CommandRequests.ChangeAccepted> accepted(String roomId, String messageId) {
		return ResponseEntity.status(HttpStatus.ACCEPTED).body(new CommandRequests.ChangeAccepted(roomId, messageId));
	}

}
