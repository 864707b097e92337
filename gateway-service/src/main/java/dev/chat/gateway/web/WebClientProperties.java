package dev.chat.gateway.web;

import java.net.URI;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What the browser client is told by {@code GET /api/config} ({@code chat.gateway.web.*}).
 *
 * @param issuer the OpenID Connect issuer as a browser reaches it; application.yml makes it the one
 * tokens are checked against ({@code chat.security.issuer-uri}), to be set apart only when
 * Keycloak has another public address
 * @param clientId the realm's public client the browser signs in with (authorization code with
 * PKCE)
 */
@Validated
@ConfigurationProperties("chat.gateway.web")
public record WebClientProperties(@NotNull URI issuer,
		@DefaultValue("chat-web") @NotBlank String clientId) {
}
