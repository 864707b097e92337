package dev.chat.auth;

import java.util.List;
import java.util.Map;
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
import org.springframework.kafka.KafkaException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;

import dev.chat.auth.keycloak.KeycloakUnavailable;
import dev.chat.common.error.ChatProblemHandler;
import dev.chat.common.error.ErrorTypes;

/**
 * auth-service's problem documents, on top of the shared ones: a body that cannot be read names
 * the field when Jackson can, and a dependency that is down (Keycloak, Mongo, Kafka) is a 503,
 * since every change is undone when one of them fails and the request can be retried.
 * Refusals of the features (taken username, invalid credentials, lockout) are
 * {@link org.springframework.web.ErrorResponseException}s with their problem built in.
 */
@RestControllerAdvice
class AuthProblemHandler extends ChatProblemHandler {

	private static final Logger log = LoggerFactory.getLogger(AuthProblemHandler.class);

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

	@ExceptionHandler({ KeycloakUnavailable.class, DataAccessResourceFailureException.class, KafkaException.class })
	Mono<ResponseEntity<Object>> handleUnavailable(Exception ex, ServerWebExchange exchange) {
		log.atWarn()
			.addKeyValue("path", exchange.getRequest().getPath().value())
			.setCause(ex)
			.log("dependency unavailable");
		return Mono.just(ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, "1")
			.body(problem(HttpStatus.SERVICE_UNAVAILABLE, ErrorTypes.UNAVAILABLE, "Service unavailable",
					"A service this request needs is unavailable; nothing was changed, try again.")));
	}

	/** Two requests raced for one username between our check and the insert. */
	@ExceptionHandler(DuplicateKeyException.class)
	Mono<ResponseEntity<Object>> handleDuplicate(DuplicateKeyException ex) {
		return Mono.just(ResponseEntity.status(HttpStatus.CONFLICT)
			.body(problem(HttpStatus.CONFLICT, ErrorTypes.CONFLICT, "Conflict",
					"Another request changed the same user at the same time; try again.")));
	}

	/** The JSON path of the value Jackson could not bind, such as {@code username}, if known. */
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
