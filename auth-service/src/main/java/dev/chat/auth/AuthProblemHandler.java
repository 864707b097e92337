package dev.chat.auth;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.kafka.KafkaException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ServerWebExchange;

import dev.chat.auth.keycloak.KeycloakUnavailable;
import dev.chat.common.error.ChatProblemHandler;
import dev.chat.common.error.ErrorTypes;

/**
 * auth-service's problem documents, on top of the shared ones: a dependency that is down
 * (Keycloak, Mongo, Kafka) is a 503, since every change is undone when one of them fails and the
 * request can be retried.
 * Refusals of the features (taken username, invalid credentials) are
 * {@link org.springframework.web.ErrorResponseException}s with their problem built in.
 */
@RestControllerAdvice
class AuthProblemHandler extends ChatProblemHandler {

	private static final Logger log = LoggerFactory.getLogger(AuthProblemHandler.class);

	@ExceptionHandler({ KeycloakUnavailable.class, DataAccessResourceFailureException.class, KafkaException.class })
	Mono<ResponseEntity<Object>> handleUnavailable(Exception ex, ServerWebExchange exchange) {
		log.atWarn()
			.addKeyValue("path", exchange.getRequest().getPath().value())
			.setCause(ex)
			.log("dependency unavailable");
		return unavailable("A service this request needs is unavailable; nothing was changed, try again.", exchange);
	}

	/** Two requests raced for one username between our check and the insert. */
	@ExceptionHandler(DuplicateKeyException.class)
	Mono<ResponseEntity<Object>> handleDuplicate(DuplicateKeyException ex, ServerWebExchange exchange) {
		return respond(problem(HttpStatus.CONFLICT, ErrorTypes.CONFLICT, "Conflict",
				"Another request changed the same user at the same time; try again."), exchange);
	}

}
