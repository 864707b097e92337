package dev.chat.gateway.docs;

import java.net.URI;

import org.springdoc.core.properties.SwaggerUiConfigProperties;
import org.springdoc.webflux.ui.SwaggerIndexTransformer;
import org.springdoc.webflux.ui.SwaggerResourceResolver;
import org.springdoc.webflux.ui.SwaggerWelcomeCommon;

import org.springframework.boot.autoconfigure.web.WebProperties;
import org.springframework.boot.webflux.autoconfigure.WebFluxProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import dev.chat.common.error.ChatProblemHandler;
import dev.chat.common.error.ErrorTypes;

/**
 * {@code GET /api/docs/openapi.json}: the merged document, or a 503 problem naming the service
 * whose document is missing (a partial document would silently drop its routes). Swagger UI
 * (springdoc's, configured in application.yml) reads it; {@code /api/docs} leads there, as
 * springdoc serves the UI under {@code /api/docs/} only with the slash.
 */
@Configuration(proxyBeanMethods = false)
class DocsRoutes {

	static final String OPENAPI_PATH = "/api/docs/openapi.json";

	private static final URI SWAGGER_UI = URI.create("/api/docs/");

	/** Replaces springdoc's own file handlers (it backs off when this bean exists). */
	@Bean
	SwaggerUiResources swaggerUiResources(SwaggerUiConfigProperties properties, WebProperties web,
			WebFluxProperties webFlux, SwaggerIndexTransformer indexTransformer, SwaggerResourceResolver webJarResolver,
			SwaggerWelcomeCommon welcome) {
		return new SwaggerUiResources(properties, web, webFlux, indexTransformer, webJarResolver, welcome);
	}

	@Bean
	RouterFunction<ServerResponse> apiDocsRoute(ApiDocs docs) {
		return RouterFunctions.route()
			.GET("/api/docs", request -> ServerResponse.temporaryRedirect(SWAGGER_UI).build())
			.GET(OPENAPI_PATH,
					request -> docs.merged()
						.flatMap(document -> ServerResponse.ok()
							.contentType(MediaType.APPLICATION_JSON)
							.bodyValue(document))
						.onErrorResume(ApiDocs.ServiceDocsUnavailable.class,
								ex -> ServerResponse.status(HttpStatus.SERVICE_UNAVAILABLE)
									.header(HttpHeaders.RETRY_AFTER, "5")
									.contentType(MediaType.APPLICATION_PROBLEM_JSON)
									.bodyValue(ChatProblemHandler.problem(HttpStatus.SERVICE_UNAVAILABLE,
											ErrorTypes.UNAVAILABLE, "Service unavailable", ex.getMessage() + "."))))
			.build();
	}

}
