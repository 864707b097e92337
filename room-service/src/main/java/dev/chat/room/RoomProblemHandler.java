package dev.chat.room;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.DatabindException;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;

import dev.chat.common.error.ChatProblemHandler;
import dev.chat.common.error.ErrorTypes;

/**
 * room-service's problem documents on top of the shared ones: an unreadable body names the field
 * when Jackson can, and a store that does not answer in time is a 503. Refusals of the features
 * (unknown room, not allowed, name taken) are {@link Problems}.
 */
@RestControllerAdvice
class RoomProblemHandler extends ChatProblemHandler {

	private static final Logger log = LoggerFactory.getLogger(RoomProblemHandler.class);

	@Override
	protected Mono<ResponseEntity<Object>> handleServerWebInputException(ServerWebInputException ex,
			HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
		ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, ErrorTypes.VALIDATION, "Malformed request",
				"The request body is missing or is not valid JSON of the expected shape.");
		String field = fieldOf(ex);
		if (field != null) {
			problem.setProperty("errors", List.of(Map.of("field", field, "message", "has the wrong type")));
		}
		return Mono.just(ResponseEntity.badRequest().body(problem));
	}

	/**
	 * The store did not answer in time. A change may or may not have been stored; if it was, its
	 * event is still published (the outbox judges it), and retrying is safe because every change
	 * is idempotent per user or refused as a conflict.
	 */
	@ExceptionHandler({ DataAccessResourceFailureException.class, TimeoutException.class })
	Mono<ResponseEntity<Object>> handleUnavailable(Exception ex, ServerWebExchange exchange) {
		log.atWarn()
			.addKeyValue("path", exchange.getRequest().getPath().value())
			.setCause(ex)
			.log("store unavailable");
		return Mono.just(ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, "1")
			.body(problem(HttpStatus.SERVICE_UNAVAILABLE, ErrorTypes.UNAVAILABLE, "Service unavailable",
					"The room store did not answer in time; try again.")));
	}

	/** A unique key the features did not expect to clash (they handle the ones they expect). */
	@ExceptionHandler(DuplicateKeyException.class)
	Mono<ResponseEntity<Object>> handleDuplicate(DuplicateKeyException ex) {
		return Mono.just(ResponseEntity.status(HttpStatus.CONFLICT)
			.body(problem(HttpStatus.CONFLICT, ErrorTypes.CONFLICT, "Conflict",
					"Another request changed the same room at the same time; try again.")));
	}

	/** The JSON path of the value Jackson could not bind, such as {@code visibility}, if known. */
	private static String fieldOf(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof DatabindException databind && !databind.getPath().isEmpty()) {
				return databind.getPath()
					.stream()
					.map(ref -> ref.getPropertyName() != null ? ref.getPropertyName() : String.valueOf(ref.getIndex()))
					.collect(Collectors.joining("."));
			}
		}
		return null;
	}

}
