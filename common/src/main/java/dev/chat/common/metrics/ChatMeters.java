package dev.chat.common.metrics;

/**
 * Names and tags of the chat meters recorded by more than one module. Tag values are a small
 * fixed set each: never a user id, a room id or anything else a client chooses.
 */
public final class ChatMeters {

	/**
	 * Requests refused for want of a valid identity: {@code reason} is {@code missing-token},
	 * {@code invalid-token} (bad signature, issuer, audience, expired), {@code forbidden} (valid
	 * token, not allowed), and at auth-service's login {@code bad-credentials}, {@code bad-refresh}.
	 */
	public static final String AUTH_FAILURES = "chat.auth.failures";

	/** Requests or frames refused by a rate limit: {@code scope} is {@code rest-user}, {@code rest-address} or {@code socket}. */
	public static final String RATE_LIMIT_REJECTIONS = "chat.ratelimit.rejections";

	private ChatMeters() {
	}

}
