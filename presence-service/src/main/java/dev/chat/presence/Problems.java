package dev.chat.presence;

import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

import dev.chat.common.error.ChatProblemHandler;
import dev.chat.common.error.ErrorTypes;

/** The refusals of presence-service, as exceptions carrying their RFC 9457 problem document. */
public final class Problems {

	/** 400: one field of the request is invalid; {@code errors} names it, as bean validation does. */
	public static ErrorResponseException invalid(String field, String message) {
		ProblemDetail problem = ChatProblemHandler.problem(HttpStatus.BAD_REQUEST, ErrorTypes.VALIDATION,
				"Invalid request", "One or more fields are invalid.");
		problem.setProperty("errors", List.of(Map.of("field", field, "message", message)));
		return new ErrorResponseException(HttpStatus.BAD_REQUEST, problem, null);
	}

	/** 403: the caller may not see this (a room they are not a member of). */
	public static ErrorResponseException forbidden(String detail) {
		return new ErrorResponseException(HttpStatus.FORBIDDEN,
				ChatProblemHandler.problem(HttpStatus.FORBIDDEN, ErrorTypes.FORBIDDEN, "Forbidden", detail), null);
	}

	private Problems() {
	}

}
