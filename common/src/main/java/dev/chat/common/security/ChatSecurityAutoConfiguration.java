package dev.chat.common.security;

import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.ReactiveJwtAuthenticationConverterAdapter;
import org.springframework.security.oauth2.server.resource.web.server.authentication.ServerBearerTokenAuthenticationConverter;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;

/**
 * Resource-server security for every service: every request needs a valid Keycloak access
 * token (see {@link ChatJwtDecoders}) except health probes, the Prometheus scrape, the OpenAPI
 * document and the service's declared public paths. The scrape is open because Prometheus
 * holds no user token; it is reached on each process's own port only (nginx, the public entry,
 * routes no {@code /actuator} path), and its meters carry no user or room ids. Services keep
 * validating tokens even behind the gateway, so a request that reaches a service directly is
 * checked just the same.
 */
@AutoConfiguration(before = { ReactiveWebSecurityAutoConfiguration.class,
		ReactiveUserDetailsServiceAutoConfiguration.class })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass(ServerHttpSecurity.class)
@EnableConfigurationProperties(ChatSecurityProperties.class)
@EnableWebFluxSecurity
public class ChatSecurityAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ReactiveJwtDecoder chatJwtDecoder(ChatSecurityProperties properties,
			ObjectProvider<OAuth2TokenValidator<Jwt>> additionalValidators) {
		return ChatJwtDecoders.create(properties, additionalValidators.orderedStream().toList());
	}

	@Bean
	@ConditionalOnMissingBean
	ProblemSecurityHandlers problemSecurityHandlers(ObjectProvider<MeterRegistry> meters) {
		MeterRegistry registry = meters.getIfAvailable();
		return registry != null ? new ProblemSecurityHandlers(registry) : new ProblemSecurityHandlers();
	}

	@Bean
	@ConditionalOnMissingBean(SecurityWebFilterChain.class)
	SecurityWebFilterChain chatSecurityFilterChain(ServerHttpSecurity http, ChatSecurityProperties properties,
			ReactiveJwtDecoder decoder, ProblemSecurityHandlers problems) {
		// The OpenAPI document too: the gateway reads it to build the public aggregate, and it
		// describes nothing a client of the public API may not know.
		List<String> open = new ArrayList<>(
				List.of("/actuator/health", "/actuator/health/**", "/actuator/prometheus", "/v3/api-docs",
						"/v3/api-docs/**"));
		open.addAll(properties.publicPaths());
		JwtAuthenticationConverter authentication = new JwtAuthenticationConverter();
		authentication.setJwtGrantedAuthoritiesConverter(new RealmRoles());
		// CORS applies only where a CorsConfigurationSource bean exists (the gateway's allow-list).
		return http.csrf(ServerHttpSecurity.CsrfSpec::disable)
			.cors(Customizer.withDefaults())
			.httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
			.formLogin(ServerHttpSecurity.FormLoginSpec::disable)
			.logout(ServerHttpSecurity.LogoutSpec::disable)
			.requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
			.authorizeExchange(exchanges -> exchanges.pathMatchers(open.toArray(String[]::new))
				.permitAll()
				.anyExchange()
				.authenticated())
			.oauth2ResourceServer(oauth -> oauth.bearerTokenConverter(bearerTokens(properties))
				.jwt(jwt -> jwt.jwtDecoder(decoder)
					.jwtAuthenticationConverter(new ReactiveJwtAuthenticationConverterAdapter(authentication)))
				.authenticationEntryPoint(problems)
				.accessDeniedHandler(problems))
			.exceptionHandling(ex -> ex.authenticationEntryPoint(problems).accessDeniedHandler(problems))
			.build();
	}

	/** The Authorization header everywhere; the access_token query parameter too on the configured paths. */
	private static ServerAuthenticationConverter bearerTokens(ChatSecurityProperties properties) {
		ServerBearerTokenAuthenticationConverter headerOnly = new ServerBearerTokenAuthenticationConverter();
		if (properties.queryTokenPaths().isEmpty()) {
			return headerOnly;
		}
		ServerBearerTokenAuthenticationConverter headerOrQuery = new ServerBearerTokenAuthenticationConverter();
		headerOrQuery.setAllowUriQueryParameter(true);
		ServerWebExchangeMatcher queryPaths = ServerWebExchangeMatchers
			.pathMatchers(properties.queryTokenPaths().toArray(String[]::new));
		return exchange -> queryPaths.matches(exchange)
			.flatMap(match -> match.isMatch() ? headerOrQuery.convert(exchange) : headerOnly.convert(exchange));
	}

}
