package dev.chat.common.error;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;

/**
 * Writes a problem document as the whole response, for the refusals made by web filters, before
 * any controller (and its {@link ChatProblemHandler}) is reached: security, rate limits, the
 * gateway's routing. The members are those {@link ChatProblemHandler} writes, in the same order.
 */
public final class ProblemResponses {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** Answers with the problem's status; its {@code instance} is the request's path unless set. */
	public static Mono<Void> write(ServerWebExchange exchange, ProblemDetail problem) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("type", problem.getType().toString());
		body.put("title", problem.getTitle());
		body.put("status", problem.getStatus());
		body.put("detail", problem.getDetail());
		body.put("instance",
				problem.getInstance() != null ? problem.getInstance().toString() : exchange.getRequest().getPath().value());
		if (problem.getProperties() != null) {
			body.putAll(problem.getProperties());
		}
		ServerHttpResponse response = exchange.getResponse();
		response.setRawStatusCode(problem.getStatus());
		response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		byte[] bytes = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
		response.getHeaders().setContentLength(bytes.length);
		return response.writeWith(Mono.just(response.bufferFactory().wrap(bytes)));
	}

	private ProblemResponses() {
	}

}
