package dev.chat.gateway.ratelimit;

import java.security.Principal;
import java.util.Optional;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.PathContainer;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import dev.chat.common.error.ChatProblemHandler;
import dev.chat.common.error.ErrorTypes;
import dev.chat.common.error.ProblemResponses;
import dev.chat.common.metrics.ChatMeters;

/**
 * Limits the REST requests under {@code /api/**} before they are routed: those of a user with a
 * token per user, those of {@code /api/auth/**} (no token yet) per client address. Every limited
 * response carries {@code RateLimit-Policy} and {@code RateLimit}; a refusal is 429 problem+json
 * with {@code Retry-After}, and the service behind never sees the request. Runs after security,
 * so a request without a valid token has already been answered 401 and costs no bucket.
 */
@Component
class RestRateLimitFilter implements WebFilter, Ordered {

	static final String POLICY_HEADER = "RateLimit-Policy";

	static final String HEADER = "RateLimit";

	private static final PathPattern API = PathPatternParser.defaultInstance.parse("/api/**");

	private static final PathPattern AUTH = PathPatternParser.defaultInstance.parse("/api/auth/**");

	private final boolean enabled;

	private final Quota users;

	private final Quota addresses;

	private final ClientAddresses clientAddresses;

	private final Counter userRejections;

	private final Counter addressRejections;

	RestRateLimitFilter(RateLimitProperties properties, MeterRegistry meters) {
		this.enabled = properties.enabled();
		this.users = new Quota("user", properties.user(), properties.nodes(), properties.maxKeys());
		this.addresses = new Quota("address", properties.address(), properties.nodes(), properties.maxKeys());
		this.clientAddresses = new ClientAddresses(properties.trustedProxies());
		this.userRejections = rejections(meters, "rest-user");
		this.addressRejections = rejections(meters, "rest-address");
	}

	private static Counter rejections(MeterRegistry meters, String scope) {
		return Counter.builder(ChatMeters.RATE_LIMIT_REJECTIONS)
			.description("Requests and frames refused by a rate limit")
			.tag("scope", scope)
			.register(meters);
	}

	@Override
	public int getOrder() {
		// After Spring Security's chain (-100): the principal is known, and anonymous requests to
		// protected paths are refused before they cost anything here.
		return 0;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		PathContainer path = exchange.getRequest().getPath().pathWithinApplication();
		if (!enabled || !API.matches(path)) {
			return chain.filter(exchange);
		}
		if (AUTH.matches(path)) {
			return limit(exchange, chain, addresses, clientAddresses.of(exchange.getRequest()), addressRejections);
		}
		// A public path other than /api/auth/** (no principal) is not limited per user.
		return exchange.getPrincipal()
			.map(Principal::getName)
			.map(Optional::of)
			.defaultIfEmpty(Optional.empty())
			.flatMap(user -> user.isPresent() ? limit(exchange, chain, users, user.get(), userRejections)
					: chain.filter(exchange));
	}

	private static Mono<Void> limit(ServerWebExchange exchange, WebFilterChain chain, Quota quota, String key,
			Counter rejections) {
		Quota.Use use = quota.take(key);
		HttpHeaders headers = exchange.getResponse().getHeaders();
		headers.set(POLICY_HEADER, quota.policyHeader());
		headers.set(HEADER, use.header());
		if (use.allowed()) {
			return chain.filter(exchange);
		}
		rejections.increment();
		long retryAfter = use.retryAfterSeconds();
		headers.set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
		var problem = ChatProblemHandler.problem(HttpStatus.TOO_MANY_REQUESTS, ErrorTypes.RATE_LIMITED,
				"Too many requests", "Too many requests; retry in " + retryAfter + " s.");
		problem.setProperty("retryAfterSeconds", retryAfter);
		return ProblemResponses.write(exchange, problem);
	}

}
