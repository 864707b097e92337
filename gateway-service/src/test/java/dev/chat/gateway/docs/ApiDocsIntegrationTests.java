package dev.chat.gateway.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.chat.test.service.ChatServiceTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The documentation endpoints of a whole gateway, with one stub per service on loopback serving
 * a small OpenAPI document of its own (the real services' documents are merged in the
 * end-to-end {@code ApiDocsThroughGatewayIntegrationTests}).
 */
@ChatServiceTest
class ApiDocsIntegrationTests {

	private static final String SHARED = """
			"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
			"schemas": {"Problem": {"type": "object"}, "View": {"type": "object", "properties": {"%s": {"type": "string"}}}}
			""";

	private static final Map<String, DocsUpstream> upstreams = Map.of("auth", DocsUpstream.serving("auth-service",
			"/api/auth/token", "post"), "rooms", DocsUpstream.serving("room-service", "/api/rooms", "get"),
			"messages", DocsUpstream.serving("message-service", "/api/rooms/{roomId}/messages", "get"), "presence",
			DocsUpstream.serving("presence-service", "/api/rooms/{roomId}/presence", "get"));

	@Autowired
	private WebTestClient client;

	@DynamicPropertySource
	static void services(DynamicPropertyRegistry registry) {
		upstreams.forEach((service, upstream) -> registry.add("chat.gateway.services." + service, upstream::uri));
	}

	@AfterAll
	static void stopUpstreams() {
		upstreams.values().forEach(DocsUpstream::close);
	}

	@Test
	void mergedDocumentIsServedWithoutAToken() {
		JsonNode document = mergedDocument();

		assertThat(document.path("openapi").asString()).isEqualTo("3.1.0");
		assertThat(document.path("paths").propertyNames()).containsExactlyInAnyOrder("/api/auth/token",
				"/api/rooms", "/api/rooms/{roomId}/messages", "/api/rooms/{roomId}/presence");
		assertThat(document.has("servers")).as("the paths are the gateway's").isFalse();
		assertThat(document.path("security").isArray()).isTrue();
	}

	@Test
	void componentsTheServicesShareAppearOnceAndClashingOnesAreQualified() {
		JsonNode document = mergedDocument();

		assertThat(document.at("/components/securitySchemes").propertyNames()).containsExactly("bearer");
		assertThat(document.at("/components/schemas").propertyNames()).containsExactlyInAnyOrder("Problem", "View",
				"room-service.View", "message-service.View", "presence-service.View");
		assertThat(document.at("/paths/~1api~1rooms/get/responses/200/content/application~1json/schema/$ref")
			.asString()).isEqualTo("#/components/schemas/room-service.View");
		assertThat(document.at("/paths/~1api~1auth~1token/post/responses/200/content/application~1json/schema/$ref")
			.asString()).isEqualTo("#/components/schemas/View");
	}

	@Test
	void swaggerUiIsServedWithoutAToken() {
		String location = "/api/docs";
		for (int hop = 0; hop < 2; hop++) {
			location = client.get()
				.uri(location)
				.exchange()
				.expectStatus()
				.is3xxRedirection()
				.returnResult(Void.class)
				.getResponseHeaders()
				.getFirst(HttpHeaders.LOCATION);
		}
		assertThat(location).isEqualTo("/api/docs/swagger-ui/index.html");

		client.get()
			.uri(location)
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.TEXT_HTML)
			.expectBody(String.class)
			.value(html -> assertThat(html).contains("swagger-ui"));
		client.get()
			.uri("/api/docs/swagger-ui/swagger-initializer.js")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.value(script -> assertThat(script).contains("/api/docs/ui/swagger-config"));
		client.get().uri("/api/docs/swagger-ui/swagger-ui-bundle.js").exchange().expectStatus().isOk();
		client.get()
			.uri("/api/docs/ui/swagger-config")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.url")
			.isEqualTo(DocsRoutes.OPENAPI_PATH);
	}

	private JsonNode mergedDocument() {
		byte[] body = client.get()
			.uri(DocsRoutes.OPENAPI_PATH)
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
			.expectBody()
			.returnResult()
			.getResponseBody();
		return JsonMapper.builder().build().readTree(body);
	}

	/**
	 * A service's {@code /v3/api-docs}: one operation answering {@code View}, which each service
	 * but auth-service defines differently, an actuator path the gateway must leave out, and the
	 * shared components.
	 */
	private record DocsUpstream(HttpServer server) implements AutoCloseable {

		static DocsUpstream serving(String service, String path, String method) {
			String document = """
					{"openapi": "3.1.0", "info": {"title": "%s", "version": "v1"},
					 "servers": [{"url": "http://127.0.0.1:1"}], "security": [{"bearer": []}],
					 "paths": {"%s": {"%s": {"responses": {"200": {"description": "OK", "content":
					   {"application/json": {"schema": {"$ref": "#/components/schemas/View"}}}}}}},
					   "/actuator/health": {"get": {"responses": {"200": {"description": "OK"}}}}},
					 "components": {%s}}
					""".formatted(service, path, method,
					SHARED.formatted(service.equals("auth-service") ? "id" : service));
			try {
				HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
				server.createContext("/v3/api-docs", exchange -> {
					try (exchange) {
						byte[] body = document.getBytes(StandardCharsets.UTF_8);
						exchange.getResponseHeaders().set("Content-Type", "application/json");
						exchange.sendResponseHeaders(200, body.length);
						exchange.getResponseBody().write(body);
					}
				});
				server.start();
				return new DocsUpstream(server);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		String uri() {
			return "http://127.0.0.1:" + server.getAddress().getPort();
		}

		@Override
		public void close() {
			server.stop(0);
		}

	}

}
