package dev.chat.room;

import org.springframework.web.ErrorResponseException;

import dev.chat.common.error.ChatProblems;

/**
 * The refusal of room-service that every room operation shares; the others are the platform's
 * ({@link ChatProblems}).
 */
public final class Problems {

	/** 404: the room does not exist, or the caller may not know that it does. */
	public static ErrorResponseException roomNotFound() {
		return ChatProblems.notFound("There is no such room.");
	}

	private Problems() {
	}

}
