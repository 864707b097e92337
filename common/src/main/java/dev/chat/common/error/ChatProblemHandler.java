package dev.chat.common.error;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.DatabindException;

import org.springframework.beans.TypeMismatchException;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;
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
		return createResponseEntity(problem, headers, HttpStatus.BAD_REQUEST, exchange);
	}

	/**
	 * An unreadable body; names the field when Jackson can tell which value had the wrong type.
	 * A body over the codecs' limit ({@code spring.http.codecs.max-in-memory-size}) is a 413.
	 */
	@Override
	protected Mono<ResponseEntity<Object>> handleServerWebInputException(ServerWebInputException ex,
			HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
		if (NestedExceptionUtils.getMostSpecificCause(ex) instanceof DataBufferLimitException) {
			return createResponseEntity(problem(HttpStatus.CONTENT_TOO_LARGE, ErrorTypes.TOO_LARGE, "Content too large",
					"The request body is larger than this endpoint takes."), headers, HttpStatus.CONTENT_TOO_LARGE,
					exchange);
		}
		if (ex.getCause() instanceof TypeMismatchException mismatch && mismatch.getPropertyName() != null) {
			ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, ErrorTypes.VALIDATION, "Invalid request",
					"One or more fields are invalid.");
			problem.setProperty("errors", List.of(
					Map.of("field", mismatch.getPropertyName(), "message", "must be " + kind(mismatch.getRequiredType()))));
			return createResponseEntity(problem, headers, HttpStatus.BAD_REQUEST, exchange);
		}
		ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, ErrorTypes.VALIDATION, "Malformed request",
				"The request body is missing or is not valid JSON of the expected shape.");
		String field = fieldOf(ex);
		if (field != null) {
			problem.setProperty("errors", List.of(Map.of("field", field, "message", "has the wrong type")));
		}
		return createResponseEntity(problem, headers, HttpStatus.BAD_REQUEST, exchange);
	}

	/**
	 * Every answer of this handler passes here: a problem body is {@link ProblemResponses#complete
	 * completed} (type, instance, traceId), whichever handler made it, the framework's included.
	 */
	@Override
	protected Mono<ResponseEntity<Object>> createResponseEntity(Object body, HttpHeaders headers,
			HttpStatusCode status, ServerWebExchange exchange) {
		if (body instanceof ProblemDetail problem) {
			ProblemResponses.complete(problem, exchange);
		}
		return super.createResponseEntity(body, headers, status, exchange);
	}

	/** Answers with the problem and its status. */
	protected Mono<ResponseEntity<Object>> respond(ProblemDetail problem, ServerWebExchange exchange) {
		return createResponseEntity(problem, new HttpHeaders(), HttpStatusCode.valueOf(problem.getStatus()), exchange);
	}

	/** A 503 with {@code Retry-After}: a dependency did not answer and nothing was changed. */
	protected Mono<ResponseEntity<Object>> unavailable(String detail, ServerWebExchange exchange) {
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.RETRY_AFTER, "1");
		return createResponseEntity(
				problem(HttpStatus.SERVICE_UNAVAILABLE, ErrorTypes.UNAVAILABLE, "Service unavailable", detail), headers,
				HttpStatus.SERVICE_UNAVAILABLE, exchange);
	}

	/** What a parameter of {@code type} takes, for people. */
	private static String kind(Class<?> type) {
		if (type == null) {
			return "a value of another type";
		}
		if (type == boolean.class || type == Boolean.class) {
			return "true or false";
		}
		return Number.class.isAssignableFrom(type) || type.isPrimitive() ? "a number" : "a " + type.getSimpleName();
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

	/**
	 * A request whose parameters Spring Security's firewall refused once a handler read them (a
	 * parameter name with control characters, for one); the path and headers are checked before.
	 */
	@ExceptionHandler(ServerExchangeRejectedException.class)
	Mono<ResponseEntity<Object>> handleRejected(ServerExchangeRejectedException ex, ServerWebExchange exchange) {
		return respond(rejectedRequest(), exchange);
	}

	/**
	 * Anything else: a connection a service behind the gateway refused is a 503 (see
	 * {@link ProblemExceptionHandler}, which also answers what reaches no advice); the rest a 500
	 * that tells nothing of its cause.
	 */
	@ExceptionHandler(Exception.class)
	Mono<ResponseEntity<Object>> handleUnexpected(Exception ex, ServerWebExchange exchange) {
		if (ProblemExceptionHandler.isUpstreamUnavailable(ex)) {
			return unavailable(ProblemExceptionHandler.UPSTREAM_UNAVAILABLE, exchange);
		}
		log.error("unhandled error on {} {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath(), ex);
		return respond(problem(HttpStatus.INTERNAL_SERVER_ERROR, ErrorTypes.INTERNAL, "Internal error",
				"The request failed unexpectedly."), exchange);
	}

	/** The answer to a request the security firewall refused; it names nothing of the request. */
	public static ProblemDetail rejectedRequest() {
		return problem(HttpStatus.BAD_REQUEST, ErrorTypes.VALIDATION, "Invalid request",
				"The request's path, parameters or headers are malformed.");
	}

	/** A problem document of the given type. */
	public static ProblemDetail problem(HttpStatus status, java.net.URI type, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(type);
		problem.setTitle(title);
		return problem;
	}

}
