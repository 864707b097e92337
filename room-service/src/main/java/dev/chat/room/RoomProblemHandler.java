package dev.chat.room;

import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ServerWebExchange;

import dev.chat.common.error.ChatProblemHandler;
import dev.chat.common.error.ErrorTypes;

/**
 * room-service's problem documents on top of the shared ones: a store that does not answer in
 * time is a 503. Refusals of the features (unknown room, not allowed, name taken) are
 * {@link Problems}.
 */
@RestControllerAdvice
class RoomProblemHandler extends ChatProblemHandler {

	private static final Logger log = LoggerFactory.getLogger(RoomProblemHandler.class);

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
		return unavailable("The room store did not answer in time; try again.", exchange);
	}

	/** A unique key the features did not expect to clash (they handle the ones they expect). */
	@ExceptionHandler(DuplicateKeyException.class)
	Mono<ResponseEntity<Object>> handleDuplicate(DuplicateKeyException ex, ServerWebExchange exchange) {
		return respond(problem(HttpStatus.CONFLICT, ErrorTypes.CONFLICT, "Conflict",
				"Another request changed the same room at the same time; try again."), exchange);
	}

}
