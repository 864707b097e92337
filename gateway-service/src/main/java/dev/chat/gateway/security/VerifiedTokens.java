package dev.chat.gateway.security;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import reactor.core.publisher.Mono;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

/**
 * Remembers tokens that passed the full check, so the same token presented again (every REST
 * request of a client, every reconnect of its socket, a reconnect storm after a node failure)
 * is not verified again: an RS256 verification and the claim conversion cost about a
 * millisecond of CPU, more than the rest of a WebSocket handshake. A hit is keyed by the whole
 * token text, so only the identical bytes of a token that was verified can hit; expiry and
 * not-before are checked again at every hit with the same clock skew. Failures are never
 * remembered.
 */
final class VerifiedTokens implements ReactiveJwtDecoder {

	/** A cache, not a record: beyond this many tokens it starts over. */
	private static final int MAX_TOKENS = 100_000;

	private final ReactiveJwtDecoder verifier;

	private final Duration clockSkew;

	private final Map<String, Jwt> verified = new ConcurrentHashMap<>();

	VerifiedTokens(ReactiveJwtDecoder verifier, Duration clockSkew) {
		this.verifier = verifier;
		this.clockSkew = clockSkew;
	}

	@Override
	public Mono<Jwt> decode(String token) throws JwtException {
		Jwt known = verified.get(token);
		if (known != null) {
			if (stillValid(known, Instant.now())) {
				return Mono.just(known);
			}
			verified.remove(token);
		}
		return verifier.decode(token).doOnNext(jwt -> remember(token, jwt));
	}

	private boolean stillValid(Jwt jwt, Instant now) {
		Instant expiresAt = jwt.getExpiresAt();
		Instant notBefore = jwt.getNotBefore();
		return expiresAt != null && now.minus(clockSkew).isBefore(expiresAt)
				&& (notBefore == null || !now.plus(clockSkew).isBefore(notBefore));
	}

	private void remember(String token, Jwt jwt) {
		if (verified.size() >= MAX_TOKENS) {
			Instant now = Instant.now();
			verified.values().removeIf(known -> !stillValid(known, now));
			if (verified.size() >= MAX_TOKENS) {
				verified.clear();
			}
		}
		verified.put(token, jwt);
	}

}
