package dev.chat.gateway.security;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

import static org.assertj.core.api.Assertions.assertThat;

class VerifiedTokensTests {

	private final AtomicInteger verifications = new AtomicInteger();

	private Instant expiresAt = Instant.now().plusSeconds(300);

	/** Accepts "good-*" tokens, as the real verifier would after a full check. */
	private final ReactiveJwtDecoder verifier = token -> {
		verifications.incrementAndGet();
		if (!token.startsWith("good")) {
			return Mono.error(new BadJwtException("bad signature"));
		}
		return Mono.just(Jwt.withTokenValue(token)
			.header("alg", "RS256")
			.subject("alice")
			.issuedAt(expiresAt.minusSeconds(300))
			.expiresAt(expiresAt)
			.build());
	};

	private final VerifiedTokens tokens = new VerifiedTokens(verifier, Duration.ofSeconds(30));

	@Test
	void aTokenThatPassedIsNotVerifiedAgain() {
		StepVerifier.create(tokens.decode("good-1")).expectNextCount(1).verifyComplete();
		StepVerifier.create(tokens.decode("good-1")).expectNextCount(1).verifyComplete();
		assertThat(verifications).hasValue(1);
	}

	@Test
	void aRejectedTokenIsCheckedEveryTime() {
		StepVerifier.create(tokens.decode("forged")).expectError(BadJwtException.class).verify();
		StepVerifier.create(tokens.decode("forged")).expectError(BadJwtException.class).verify();
		assertThat(verifications).hasValue(2);
	}

	@Test
	void aRememberedTokenPastItsExpiryAndSkewIsVerifiedAgain() {
		expiresAt = Instant.now().minusSeconds(31);
		StepVerifier.create(tokens.decode("good-2")).expectNextCount(1).verifyComplete();
		StepVerifier.create(tokens.decode("good-2")).expectNextCount(1).verifyComplete();
		assertThat(verifications).hasValue(2);
	}

}
