package dev.chat.message.command;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import dev.chat.message.MessageBody;

/** The bodies of the REST commands, and of their 202 answers. */
final class CommandRequests {

	/**
	 * {@code POST /api/rooms/{roomId}/messages}.
	 *
	 * @param clientMsgId the sender's id for the message; a retry with the same id is stored once
	 * @param body the text
	 */
	record Send(@Schema(example = "c-7f3a9e") @NotNull @Pattern(regexp = "^[A-Za-z0-9._:-]{1,64}$",
			message = "must be 1-64 letters, digits, or . _ : -") String clientMsgId,
			@Schema(example = "Hello, room!") @MessageBody String body) {
	}

	/** {@code PATCH /api/rooms/{roomId}/messages/{messageId}}: the new text. */
	record Edit(@Schema(example = "Hello again, room!") @MessageBody String body) {
	}

	/** 202 to a send: the message will appear in the room (or be rejected) shortly. */
	record SendAccepted(String roomId, String clientMsgId) {
	}

	/** 202 to an edit or delete. */
	record ChangeAccepted(String roomId, String messageId) {
	}

	private CommandRequests() {
	}

}
