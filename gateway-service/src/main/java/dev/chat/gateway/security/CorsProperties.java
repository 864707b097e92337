package dev.chat.gateway.security;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Which web pages of other origins may call the REST API from a browser
 * ({@code chat.gateway.cors.*}). Empty, the default, allows none: the web client served at
 * {@code /} is of the gateway's own origin and needs no CORS.
 *
 * @param allowedOrigins exact origins such as {@code https://app.example.com}; never {@code *}
 * @param maxAge how long a browser may keep a preflight's answer
 */
@Validated
@ConfigurationProperties("chat.gateway.cors")
public record CorsProperties(@DefaultValue({}) @NotNull List<String> allowedOrigins,
		@DefaultValue("1h") @NotNull Duration maxAge) {

	public CorsProperties {
		if (allowedOrigins.contains("*")) {
			throw new IllegalArgumentException("chat.gateway.cors.allowed-origins lists origins; '*' is not allowed");
		}
	}

}
