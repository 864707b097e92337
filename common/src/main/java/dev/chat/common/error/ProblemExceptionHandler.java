package dev.chat.common.error;

import java.net.ConnectException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;

/**
 * The last word on any error no controller advice answered: a path nothing serves, a method a
 * path does not have, an exception in a web filter or in the gateway's routing. Each becomes a
 * problem document of the platform ({@link ProblemResponses}), never Boot's error page or JSON.
 * A service behind the gateway that refuses the connection is a 503 the client may retry; a 5xx
 * never tells its cause, which could name a class, a host or a port.
 */
public final class ProblemExceptionHandler implements WebExceptionHandler, Ordered {

	static final String UPSTREAM_UNAVAILABLE = "A service this request needs did not answer; nothing was changed, try again.";

	private static final Logger log = LoggerFactory.getLogger(ProblemExceptionHandler.class);

	@Override
	public int getOrder() {
		// Before Boot's ErrorWebExceptionHandler (-1), after the framework's own at 0 and above.
		return -2;
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
		if (exchange.getResponse().isCommitted()) {
			return Mono.error(ex);
		}
		ProblemDetail problem;
		if (ex instanceof ErrorResponse error && error.getStatusCode().is4xxClientError()) {
			problem = error.getBody();
			exchange.getResponse().getHeaders().putAll(error.getHeaders());
		}
		else if (ex instanceof ServerExchangeRejectedException) {
			problem = ChatProblemHandler.rejectedRequest();
		}
		else if (isUpstreamUnavailable(ex)) {
			log.atWarn()
				.addKeyValue("path", exchange.getRequest().getPath().value())
				.addKeyValue("error", ex.getClass().getSimpleName())
				.log("upstream unavailable");
			problem = ChatProblemHandler.problem(HttpStatus.SERVICE_UNAVAILABLE, ErrorTypes.UNAVAILABLE,
					"Service unavailable", UPSTREAM_UNAVAILABLE);
			exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, "1");
		}
		else {
			log.atError()
				.addKeyValue("path", exchange.getRequest().getPath().value())
				.setCause(ex)
				.log("unhandled error");
			HttpStatus status = ex instanceof ErrorResponse error && HttpStatus.resolve(error.getStatusCode().value()) != null
					? HttpStatus.resolve(error.getStatusCode().value()) : HttpStatus.INTERNAL_SERVER_ERROR;
			problem = ChatProblemHandler.problem(status, ErrorTypes.forStatus(status.value()), status.getReasonPhrase(),
					"The request failed unexpectedly.");
		}
		return ProblemResponses.write(exchange, problem);
	}

	/** A service behind the gateway refused the connection, or did not answer in time. */
	static boolean isUpstreamUnavailable(Throwable ex) {
		return causedBy(ex, ConnectException.class) || ex instanceof ErrorResponse error
				&& (error.getStatusCode().value() == 502 || error.getStatusCode().value() == 504);
	}

	private static boolean causedBy(Throwable ex, Class<? extends Throwable> type) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (type.isInstance(cause)) {
				return true;
			}
		}
		return false;
	}

}
