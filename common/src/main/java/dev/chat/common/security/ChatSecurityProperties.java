package dev.chat.common.security;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How every service checks the bearer tokens Keycloak issues ({@code chat.security.*}).
 *
 * @param issuerUri the realm's issuer, exactly as in the tokens' {@code iss} claim
 * @param jwkSetUri where the signing keys are fetched; defaults to the issuer's certs endpoint
 * @param audience the audience every access token must carry
 * @param clockSkew tolerance for {@code exp} and {@code nbf} between this host and Keycloak
 * @param publicPaths path patterns served without a token, besides health probes
 * @param queryTokenPaths path patterns that also accept the token as the {@code access_token}
 * query parameter (browsers cannot set headers on a WebSocket handshake); never logged
 */
@Validated
@ConfigurationProperties("chat.security")
public record ChatSecurityProperties(@NotNull URI issuerUri, URI jwkSetUri,
		@DefaultValue("chat-api") @NotBlank String audience, @DefaultValue("30s") Duration clockSkew,
		@DefaultValue List<String> publicPaths, @DefaultValue List<String> queryTokenPaths) {

	public URI effectiveJwkSetUri() {
		return jwkSetUri != null ? jwkSetUri : URI.create(issuerUri + "/protocol/openid-connect/certs");
	}

}
