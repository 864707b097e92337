package dev.chat.presence;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ServerWebExchange;

import dev.chat.common.error.ChatProblemHandler;

/**
 * presence-service's problem documents on top of the shared ones: a store that does not answer
 * is a 503 the client may retry (reads change nothing).
 */
@RestControllerAdvice
class PresenceProblemHandler extends ChatProblemHandler {

	private static final Logger log = LoggerFactory.getLogger(PresenceProblemHandler.class);

	@ExceptionHandler(DataAccessResourceFailureException.class)
	Mono<ResponseEntity<Object>> handleUnavailable(Exception ex, ServerWebExchange exchange) {
		log.atWarn()
			.addKeyValue("path", exchange.getRequest().getPath().value())
			.setCause(ex)
			.log("store unavailable");
		return unavailable("The presence store did not answer; try again.", exchange);
	}

}
