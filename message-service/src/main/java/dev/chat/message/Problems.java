package dev.chat.message;

import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

import dev.chat.common.error.ChatProblemHandler;
import dev.chat.common.error.ErrorTypes;

/**
 * The problem documents this service answers with, as exceptions the shared problem handler
 * renders (RFC 9457, {@code application/problem+json}).
 */
public final class Problems {

	/** 400 naming the field, shaped like the shared handler's bean-validation errors. */
	public static ErrorResponseException invalid(String field, String message) {
		ProblemDetail problem = ChatProblemHandler.problem(HttpStatus.BAD_REQUEST, ErrorTypes.VALIDATION,
				"Invalid request", "One or more fields are invalid.");
		problem.setProperty("errors", List.of(Map.of("field", field, "message", message)));
		return new ErrorResponseException(HttpStatus.BAD_REQUEST, problem, null);
	}

	/** 404: no such room, or no such message in it. */
	public static ErrorResponseException notFound(String detail) {
		return new ErrorResponseException(HttpStatus.NOT_FOUND,
				ChatProblemHandler.problem(HttpStatus.NOT_FOUND, ErrorTypes.NOT_FOUND, "Not found", detail), null);
	}

	/** 403: the caller may not do this here. */
	public static ErrorResponseException forbidden(String detail) {
		return new ErrorResponseException(HttpStatus.FORBIDDEN,
				ChatProblemHandler.problem(HttpStatus.FORBIDDEN, ErrorTypes.FORBIDDEN, "Forbidden", detail), null);
	}

	/** 503: Kafka did not take the command in time; nothing may have happened, a retry is safe. */
	public static ErrorResponseException unavailable(String detail) {
		return new ErrorResponseException(HttpStatus.SERVICE_UNAVAILABLE, ChatProblemHandler
			.problem(HttpStatus.SERVICE_UNAVAILABLE, ErrorTypes.UNAVAILABLE, "Service unavailable", detail), null);
	}

	private Problems() {
	}

}
