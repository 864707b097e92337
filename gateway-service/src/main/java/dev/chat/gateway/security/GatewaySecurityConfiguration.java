package dev.chat.gateway.security;

import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsConfigurationSource;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;

import dev.chat.common.security.ChatJwtDecoders;
import dev.chat.common.security.ChatSecurityProperties;

/**
 * The gateway checks tokens as every service does ({@link ChatJwtDecoders}), and remembers the
 * ones that passed; and it answers browsers of the allowed origins ({@link CorsProperties}).
 */
@Configuration(proxyBeanMethods = false)
class GatewaySecurityConfiguration {

	@Bean
	ReactiveJwtDecoder chatJwtDecoder(ChatSecurityProperties properties,
			ObjectProvider<OAuth2TokenValidator<Jwt>> additionalValidators) {
		return new VerifiedTokens(ChatJwtDecoders.create(properties, additionalValidators.orderedStream().toList()),
				properties.clockSkew());
	}

	/**
	 * The CORS allow-list, applied by the security chain before authentication, so that a
	 * browser's preflight (which carries no token) is answered. Bearer tokens, not cookies: no
	 * credentials mode. The rate-limit headers are exposed for clients to read.
	 */
	@Bean
	CorsConfigurationSource corsConfigurationSource(CorsProperties cors) {
		UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
		if (!cors.allowedOrigins().isEmpty()) {
			CorsConfiguration api = new CorsConfiguration();
			api.setAllowedOrigins(cors.allowedOrigins());
			api.setAllowedMethods(List.of("GET", "POST", "PATCH", "DELETE"));
			api.setAllowedHeaders(List.of(HttpHeaders.AUTHORIZATION, HttpHeaders.CONTENT_TYPE, "traceparent"));
			api.setExposedHeaders(List.of(HttpHeaders.LOCATION, HttpHeaders.RETRY_AFTER, "RateLimit", "RateLimit-Policy"));
			api.setMaxAge(cors.maxAge());
			source.registerCorsConfiguration("/api/**", api);
		}
		return source;
	}

}
