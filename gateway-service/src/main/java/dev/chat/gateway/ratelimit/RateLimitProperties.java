package dev.chat.gateway.ratelimit;

import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The REST rate limits ({@code chat.gateway.rate-limit.*}), as token buckets: a client may make
 * {@code capacity} requests at once, and gets them back evenly over {@code period}.
 * <p>
 * The limits are those of the whole deployment. Each of the {@code nodes} gateway nodes keeps its
 * own buckets and enforces its share, {@code 1/nodes} of each limit: nginx spreads a client's
 * requests round robin over the nodes, so the client meets about the whole limit, and no request
 * waits for a shared store. A node that is down leaves the others' shares as they are, so the
 * effective limit drops with it until {@code nodes} is changed.
 *
 * @param enabled whether requests are limited at all
 * @param nodes the gateway nodes that share the limits
 * @param user (both its fields, or neither) every {@code /api/**} request with a token, per user (the token's subject)
 * @param address (both its fields, or neither) {@code /api/auth/**} (register, token, refresh, logout: no token yet), per client
 * address
 * @param maxKeys users and addresses whose buckets are kept; the least recently seen go first
 * @param trustedProxies addresses (literals) whose {@code X-Forwarded-For} is believed (nginx in front of the
 * nodes); from any other peer the header is ignored, so a client cannot pick its own address
 */
@Validated
@ConfigurationProperties("chat.gateway.rate-limit")
public record RateLimitProperties(@DefaultValue("true") boolean enabled, @DefaultValue("1") @Min(1) int nodes,
		@Valid Limit user, @Valid Limit address, @DefaultValue("100000") @Min(1) int maxKeys,
		@DefaultValue({ "127.0.0.1", "::1" }) @NotNull List<String> trustedProxies) {

	/** 2 requests a second per user, in bursts of up to 120. */
	static final Limit DEFAULT_USER = new Limit(120, Duration.ofMinutes(1));

	/** One login, registration or refresh every 2 seconds per address, in bursts of up to 30. */
	static final Limit DEFAULT_ADDRESS = new Limit(30, Duration.ofMinutes(1));

	public RateLimitProperties {
		user = user != null ? user : DEFAULT_USER;
		address = address != null ? address : DEFAULT_ADDRESS;
	}

	/**
	 * One limit.
	 *
	 * @param capacity requests at once (the bucket's size)
	 * @param period the time in which a spent bucket fills up again
	 */
	public record Limit(@Min(1) long capacity, @NotNull Duration period) {
	}

}
