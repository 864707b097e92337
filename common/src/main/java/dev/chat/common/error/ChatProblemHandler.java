package dev.chat.common.error;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.DatabindException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;

/**
 * The base of every service's {@code @RestControllerAdvice}: each error becomes an RFC 9457
 * problem document with a {@link ErrorTypes type}. Field errors are listed under
 * {@code errors} as {@code {field, message}}; unexpected exceptions are logged and answered
 * without internals.
 */
public class ChatProblemHandler extends ResponseEntityExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ChatProblemHandler.class);

	@Override
	protected Mono<ResponseEntity<Object>> handleWebExchangeBindException(WebExchangeBindException ex,
			HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
		ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, ErrorTypes.VALIDATION, "Invalid request",
				"One or more fields are invalid.");
		List<Map<String, String>> errors = ex.getFieldErrors()
			.stream()
			.map(e -> Map.of("field", e.getField(), "message", String.valueOf(e.getDefaultMessage())))
			.toList();
		problem.setProperty("errors", errors);
		return Mono.just(ResponseEntity.badRequest().body(problem));
	}

	/** An unreadable body; names the field when Jackson can tell which value had the wrong type. */
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

	/** A 503 with {@code Retry-After}: a dependency did not answer and nothing was changed. */
	protected static Mono<ResponseEntity<Object>> unavailable(String detail) {
		return Mono.just(ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, "1")
			.body(problem(HttpStatus.SERVICE_UNAVAILABLE, ErrorTypes.UNAVAILABLE, "Service unavailable", detail)));
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

	@ExceptionHandler(Exception.class)
	Mono<ResponseEntity<Object>> handleUnexpected(Exception ex, ServerWebExchange exchange) {
		log.error("unhandled error on {} {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath(), ex);
		return Mono.just(ResponseEntity.internalServerError()
			.body(problem(HttpStatus.INTERNAL_SERVER_ERROR, ErrorTypes.INTERNAL, "Internal error",
					"The request failed unexpectedly.")));
	}

	/** A problem document of the given type. */
	public static ProblemDetail problem(HttpStatus status, java.net.URI type, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(type);
		problem.setTitle(title);
		return problem;
	}

}
