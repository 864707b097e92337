package dev.chat.common.error;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.web.server.ServerWebExchange;

import dev.chat.common.tracing.TraceIds;

/**
 * Writes a problem document as the whole response, for the refusals made by web filters, before
 * any controller (and its {@link ChatProblemHandler}) is reached: security, rate limits, the
 * gateway's routing. {@link ChatProblemHandler} completes its problems the same way.
 */
public final class ProblemResponses {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final URI BLANK = URI.create("about:blank");

	private static final Pattern TRACE_PARENT = Pattern.compile("[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}");

	/** Answers with the problem's status, {@link #complete completed}. */
	public static Mono<Void> write(ServerWebExchange exchange, ProblemDetail problem) {
		complete(problem, exchange);
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("type", problem.getType().toString());
		body.put("title", problem.getTitle());
		body.put("status", problem.getStatus());
		body.put("detail", problem.getDetail());
		body.put("instance", problem.getInstance().toString());
		body.putAll(problem.getProperties());
		ServerHttpResponse response = exchange.getResponse();
		response.setRawStatusCode(problem.getStatus());
		response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		byte[] bytes = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
		response.getHeaders().setContentLength(bytes.length);
		return response.writeWith(Mono.just(response.bufferFactory().wrap(bytes)));
	}

	/**
	 * Fills in what every problem of the platform has: a {@code type} from {@link ErrorTypes} (the
	 * framework raises some with none), the request's path as {@code instance}, and the
	 * {@code traceId} that finds the request in the logs: the trace id of the request's server
	 * observation when it is traced (the one its log lines carry, continuing the caller's W3C
	 * {@code traceparent} if it sent one), else the {@code traceparent}'s trace id, else the
	 * request's own id.
	 */
	public static ProblemDetail complete(ProblemDetail problem, ServerWebExchange exchange) {
		if (problem.getType() == null || BLANK.equals(problem.getType())) {
			problem.setType(ErrorTypes.forStatus(problem.getStatus()));
		}
		if (problem.getTitle() == null) {
			HttpStatus status = HttpStatus.resolve(problem.getStatus());
			problem.setTitle(status != null ? status.getReasonPhrase() : "Error");
		}
		if (problem.getInstance() == null) {
			problem.setInstance(URI.create(exchange.getRequest().getPath().value()));
		}
		if (problem.getProperties() == null || !problem.getProperties().containsKey("traceId")) {
			problem.setProperty("traceId", traceId(exchange));
		}
		return problem;
	}

	private static String traceId(ServerWebExchange exchange) {
		String traced = ServerRequestObservationContext.findCurrent(exchange.getAttributes())
			.map(TraceIds::of)
			.orElse(null);
		if (traced != null) {
			return traced;
		}
		String parent = exchange.getRequest().getHeaders().getFirst("traceparent");
		if (parent != null) {
			Matcher matcher = TRACE_PARENT.matcher(parent);
			if (matcher.matches()) {
				return matcher.group(1);
			}
		}
		return exchange.getRequest().getId();
	}

	private ProblemResponses() {
	}

}
