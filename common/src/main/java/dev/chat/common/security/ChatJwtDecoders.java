package dev.chat.common.security;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

/**
 * The one way services decode access tokens.
 *
 * <p>
 * Only RS256 is accepted and keys come only from the issuer's JWK set: an {@code alg: none}
 * token, an HS256 token signed with the public key, and keys a token carries in its own header
 * ({@code jwk}, {@code jku}, {@code x5c}) are all refused by construction. Issuer, audience,
 * expiry (which must be present) and not-before are always checked; validators a service adds
 * are checked in addition to these, never instead of them.
 */
public final class ChatJwtDecoders {

	public static ReactiveJwtDecoder create(ChatSecurityProperties properties,
			Collection<OAuth2TokenValidator<Jwt>> additionalValidators) {
		NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder
			.withJwkSetUri(properties.effectiveJwkSetUri().toString())
			.jwsAlgorithm(SignatureAlgorithm.RS256)
			.build();
		decoder.setJwtValidator(validator(properties, additionalValidators));
		return decoder;
	}

	static OAuth2TokenValidator<Jwt> validator(ChatSecurityProperties properties,
			Collection<OAuth2TokenValidator<Jwt>> additionalValidators) {
		List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
		validators.add(new JwtClaimValidator<Instant>(JwtClaimNames.EXP, Objects::nonNull));
		validators.add(new JwtTimestampValidator(properties.clockSkew()));
		validators.add(new JwtIssuerValidator(properties.issuerUri().toString()));
		validators.add(new JwtClaimValidator<List<String>>(JwtClaimNames.AUD,
				aud -> aud != null && aud.contains(properties.audience())));
		validators.addAll(additionalValidators);
		return new DelegatingOAuth2TokenValidator<>(validators);
	}

	private ChatJwtDecoders() {
	}

}
