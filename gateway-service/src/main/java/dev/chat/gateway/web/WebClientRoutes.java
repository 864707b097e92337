package dev.chat.gateway.web;

import java.time.Duration;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * {@code GET /api/config}: where the browser client signs in. It is public (the client asks it
 * before anyone has a token) and says nothing secret: the issuer and a public client id are in
 * every token and on Keycloak's own pages.
 *
 * <p>
 * The bundle itself ({@code index.html}, {@code assets/}) is the {@code client-web} jar's
 * {@code static/} folder, which Spring serves at {@code /} as it would any static resources.
 */
@Configuration(proxyBeanMethods = false)
class WebClientRoutes {

	static final String CONFIG_PATH = "/api/config";

	/** The answer of {@code GET /api/config}. */
	record ClientConfig(String issuer, String clientId) {
	}

	@Bean
	RouterFunction<ServerResponse> webClientConfigRoute(WebClientProperties properties) {
		ClientConfig config = new ClientConfig(properties.issuer().toString(), properties.clientId());
		return RouterFunctions.route()
			.GET(CONFIG_PATH, request -> ServerResponse.ok()
				.contentType(MediaType.APPLICATION_JSON)
				.cacheControl(CacheControl.maxAge(Duration.ofMinutes(5)))
				.bodyValue(config))
			.build();
	}

}
