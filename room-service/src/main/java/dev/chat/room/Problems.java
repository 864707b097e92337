package dev.chat.room;

import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

import dev.chat.common.error.ChatProblemHandler;
import dev.chat.common.error.ErrorTypes;

/**
 * The refusals of room-service, as exceptions that carry their RFC 9457 problem document (the
 * shared handler writes it as it is).
 */
public final class Problems {

	/** 400: one field of the request is invalid; {@code errors} names it, as bean validation does. */
	public static ErrorResponseException invalid(String field, String message) {
		ProblemDetail problem = ChatProblemHandler.problem(HttpStatus.BAD_REQUEST, ErrorTypes.VALIDATION,
				"Invalid request", "One or more fields are invalid.");
		problem.setProperty("errors", List.of(Map.of("field", field, "message", message)));
		return new ErrorResponseException(HttpStatus.BAD_REQUEST, problem, null);
	}

	/** 404: the room does not exist, or the caller may not know that it does. */
	public static ErrorResponseException roomNotFound() {
		return new ErrorResponseException(HttpStatus.NOT_FOUND, ChatProblemHandler.problem(HttpStatus.NOT_FOUND,
				ErrorTypes.NOT_FOUND, "Not found", "There is no such room."), null);
	}

	public static ErrorResponseException forbidden(String detail) {
		return new ErrorResponseException(HttpStatus.FORBIDDEN,
				ChatProblemHandler.problem(HttpStatus.FORBIDDEN, ErrorTypes.FORBIDDEN, "Forbidden", detail), null);
	}

	public static ErrorResponseException conflict(String detail) {
		return new ErrorResponseException(HttpStatus.CONFLICT,
				ChatProblemHandler.problem(HttpStatus.CONFLICT, ErrorTypes.CONFLICT, "Conflict", detail), null);
	}

	private Problems() {
	}

}
