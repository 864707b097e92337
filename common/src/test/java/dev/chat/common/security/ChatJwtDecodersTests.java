package dev.chat.common.security;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.test.StepVerifier;

import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

import dev.chat.test.tokens.BadToken;
import dev.chat.test.tokens.TokenMinter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The decoder every service uses, against a real JWKS endpoint (the minter's): what it accepts,
 * and that each forged or out-of-policy token is refused, with or without validators a service
 * adds of its own.
 */
class ChatJwtDecodersTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	/** A service's extra validator that lets everything through: it must not weaken the checks. */
	private static final OAuth2TokenValidator<Jwt> PERMISSIVE = jwt -> OAuth2TokenValidatorResult.success();

	private static TokenMinter minter;

	private static ChatSecurityProperties properties;

	@BeforeAll
	static void startIssuer() {
		minter = TokenMinter.start();
		properties = new ChatSecurityProperties(minter.issuerUri(), minter.jwkSetUri(), TokenMinter.AUDIENCE,
				Duration.ofSeconds(30), List.of(), List.of());
	}

	@AfterAll
	static void stopIssuer() {
		minter.close();
	}

	@Test
	void validTokenIsDecodedWithItsClaims() {
		ReactiveJwtDecoder decoder = ChatJwtDecoders.create(properties, List.of());

		StepVerifier.create(decoder.decode(minter.token("alice", "user")))
			.assertNext(jwt -> {
				assertThat(jwt.getSubject()).isEqualTo(TokenMinter.subjectOf("alice"));
				assertThat(jwt.getClaimAsString("preferred_username")).isEqualTo("alice");
				assertThat(jwt.getAudience()).containsExactly(TokenMinter.AUDIENCE);
			})
			.expectComplete()
			.verify(TIMEOUT);
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource(BadToken.class)
	void badTokenIsRejected(BadToken bad) {
		ReactiveJwtDecoder decoder = ChatJwtDecoders.create(properties, List.of());

		StepVerifier.create(decoder.decode(minter.mint(bad))).expectError(JwtException.class).verify(TIMEOUT);
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource(BadToken.class)
	void badTokenIsRejectedWhenTheServiceAddsAValidator(BadToken bad) {
		ReactiveJwtDecoder decoder = ChatJwtDecoders.create(properties, List.of(PERMISSIVE));

		StepVerifier.create(decoder.decode(minter.mint(bad))).expectError(JwtException.class).verify(TIMEOUT);
	}

	@Test
	void validatorTheServiceAddsIsAppliedToo() {
		OAuth2TokenValidator<Jwt> notBanned = jwt -> "banned".equals(jwt.getClaimAsString("preferred_username"))
				? OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "banned", null))
				: OAuth2TokenValidatorResult.success();
		ReactiveJwtDecoder decoder = ChatJwtDecoders.create(properties, List.of(PERMISSIVE, notBanned));

		StepVerifier.create(decoder.decode(minter.token("banned"))).expectError(JwtException.class).verify(TIMEOUT);
		StepVerifier.create(decoder.decode(minter.token("alice"))).expectNextCount(1).expectComplete().verify(TIMEOUT);
	}

	@Test
	void keyUrlInTheHeaderIsNeverFetched() {
		ReactiveJwtDecoder decoder = ChatJwtDecoders.create(properties, List.of());

		StepVerifier.create(decoder.decode(minter.mint(BadToken.EMBEDDED_JKU)))
			.expectError(JwtException.class)
			.verify(TIMEOUT);

		assertThat(minter.attackerKeyFetches()).isZero();
	}

	@Test
	void expiryWithinTheClockSkewIsTolerated() {
		ReactiveJwtDecoder decoder = ChatJwtDecoders.create(properties, List.of());
		var justExpired = minter.spec("alice").shiftedBy(TokenMinter.LIFETIME.plusSeconds(10).negated());

		StepVerifier.create(decoder.decode(minter.mint(justExpired))).expectNextCount(1).expectComplete().verify(TIMEOUT);
	}

}
