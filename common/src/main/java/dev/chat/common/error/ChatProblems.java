package dev.chat.common.error;

import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * The refusals every service answers with, as exceptions carrying their RFC 9457 problem
 * document; {@link ChatProblemHandler} writes it as it is ({@code application/problem+json}).
 */
public final class ChatProblems {

	/** 400: one field of the request is invalid; {@code errors} names it, as bean validation does. */
	public static ErrorResponseException invalid(String field, String message) {
		ProblemDetail problem = ChatProblemHandler.problem(HttpStatus.BAD_REQUEST, ErrorTypes.VALIDATION,
				"Invalid request", "One or more fields are invalid.");
		problem.setProperty("errors", List.of(Map.of("field", field, "message", message)));
		return new ErrorResponseException(HttpStatus.BAD_REQUEST, problem, null);
	}

	/** 403: the caller may not do this here. */
	public static ErrorResponseException forbidden(String detail) {
		return refusal(HttpStatus.FORBIDDEN, ErrorTypes.FORBIDDEN, "Forbidden", detail);
	}

	/** 404: no such thing, or none the caller may know of. */
	public static ErrorResponseException notFound(String detail) {
		return refusal(HttpStatus.NOT_FOUND, ErrorTypes.NOT_FOUND, "Not found", detail);
	}

	/** 409: the request contradicts the current state. */
	public static ErrorResponseException conflict(String detail) {
		return refusal(HttpStatus.CONFLICT, ErrorTypes.CONFLICT, "Conflict", detail);
	}

	/** 503: a component this request needs did not answer in time; a retry is safe. */
	public static ErrorResponseException unavailable(String detail) {
		return refusal(HttpStatus.SERVICE_UNAVAILABLE, ErrorTypes.UNAVAILABLE, "Service unavailable", detail);
	}

	private static ErrorResponseException refusal(HttpStatus status, java.net.URI type, String title, String detail) {
		return new ErrorResponseException(status, ChatProblemHandler.problem(status, type, title, detail), null);
	}

	private ChatProblems() {
	}

}
