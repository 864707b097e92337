package dev.chat.gateway.routing;

import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.chat.gateway.GatewayProperties;

/**
 * The REST surface under {@code /api/**}, routed to the service that owns each resource. The
 * bearer token is passed through unchanged: every service checks it again. Message and
 * presence routes are declared before the room catch-all, which would otherwise match them.
 */
@Configuration(proxyBeanMethods = false)
class ApiRoutes {

	@Bean
	RouteLocator apiRouteLocator(RouteLocatorBuilder routes, GatewayProperties properties) {
		GatewayProperties.Services services = properties.services();
		return routes.routes()
			.route("auth", r -> r.path("/api/auth/**", "/api/users", "/api/users/**").uri(services.auth()))
			.route("messages",
					r -> r.path("/api/rooms/{roomId}/messages", "/api/rooms/{roomId}/messages/**",
							"/api/rooms/{roomId}/events")
						.uri(services.messages()))
			.route("presence", r -> r.path("/api/rooms/{roomId}/presence").uri(services.presence()))
			.route("rooms", r -> r.path("/api/rooms", "/api/rooms/**").uri(services.rooms()))
			.build();
	}

}
