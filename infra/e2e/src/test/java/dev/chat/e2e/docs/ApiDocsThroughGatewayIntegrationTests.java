package dev.chat.e2e.docs;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.chat.e2e.support.Keycloak;
import dev.chat.e2e.support.TestStackExtension;
import dev.chat.stack.Stack;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API documentation on the whole stack: the gateway merges the real services' OpenAPI
 * documents, and the merged one lists every route of the README's API table, through nginx
 * and without a token.
 */
@ExtendWith(TestStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiDocsThroughGatewayIntegrationTests {

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** A method and a path in a cell of the README's table: {@code POST /api/rooms}, {@code /leave}, {@code PATCH}. */
	private static final Pattern ENDPOINT = Pattern
		.compile("`((?:GET|POST|PUT|PATCH|DELETE)(?= |`))?\\s?(/[^`?\\s]*)?[^`]*`");

	private String entry;

	private String gateway;

	private List<String> readmeRoutes;

	@BeforeAll
	void stack(Stack stack) throws IOException {
		entry = "http://127.0.0.1:" + stack.config().ports().entry();
		gateway = "http://127.0.0.1:" + stack.config().ports().gateway();
		readmeRoutes = apiTable(Files.readString(stack.config().root().resolve("README.md")));
	}

	@Test
	void theMergedDocumentListsEveryRouteOfTheReadmeWithoutAToken() {
		HttpResponse<String> response = get(entry + "/api/docs/openapi.json", null);

		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				type -> assertThat(type).startsWith("application/json"));
		JsonNode document = JSON.readTree(response.body());
		assertThat(document.path("openapi").asString()).isEqualTo("3.1.0");
		assertThat(document.path("info").path("title").asString()).isNotBlank();
		assertThat(readmeRoutes).as("routes read from the README").hasSizeGreaterThanOrEqualTo(19);
		for (String route : readmeRoutes) {
			String[] methodAndPath = route.split(" ");
			assertThat(document.path("paths").path(methodAndPath[1]).has(methodAndPath[0].toLowerCase()))
				.as(route + " is documented")
				.isTrue();
		}
		assertThat(document.path("paths").propertyNames()).allSatisfy(path -> assertThat(path).startsWith("/api/"));
		assertThat(document.at("/components/securitySchemes").propertyNames()).contains("bearer", "keycloak");
		assertThat(document.at("/components/schemas/Problem/properties").propertyNames()).contains("type", "title",
				"status", "detail");
		List<String> operationIds = new ArrayList<>();
		document.path("paths").properties().forEach(path -> path.getValue().properties().forEach(operation -> {
			operationIds.add(operation.getValue().path("operationId").asString());
			assertThat(operation.getValue().path("responses").has("500")).as(operation.getKey() + " " + path.getKey())
				.isTrue();
			collectRefs(operation.getValue()).forEach(ref -> assertThat(document.at(ref.substring(1)).isMissingNode())
				.as(ref + " resolves")
				.isFalse());
		}));
		assertThat(operationIds).as("operation ids").doesNotHaveDuplicates().doesNotContain("");
	}

	@Test
	void swaggerUiIsServedWithoutAToken() {
		String location = "/api/docs";
		for (int hop = 0; hop < 2; hop++) {
			HttpResponse<String> redirect = get(entry + location, null);
			assertThat(redirect.statusCode()).as(location).isBetween(301, 308);
			location = redirect.headers().firstValue("Location").orElseThrow();
		}
		HttpResponse<String> page = get(entry + location, null);

		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("swagger-ui");
	}

	/** The gateway serves no /v3/api-docs of its own, and routes none of the services'. */
	@Test
	void theServicesOwnDocumentsAreNotRouted() {
		assertThat(get(entry + "/v3/api-docs", null).statusCode()).isEqualTo(404);
	}

	@Test
	void theReplayRouteReachesMessageService(Keycloak keycloak) {
		String alice = keycloak.accessToken("alice");
		HttpResponse<String> created = post(gateway + "/api/rooms", alice,
				"{\"name\":\"E2E docs " + System.nanoTime() + "\",\"visibility\":\"public\"}");
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		String roomId = JSON.readTree(created.body()).path("id").asString();

		Awaitility.await("the events of a new room")
			.atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> {
				HttpResponse<String> events = get(gateway + "/api/rooms/" + roomId + "/events?afterSeq=0", alice);
				assertThat(events.statusCode()).as(events.body()).isEqualTo(200);
				assertThat(JSON.readTree(events.body()).path("events").isArray()).isTrue();
			});
	}

	/**
	 * Every {@code METHOD /path} of the first column of the README's "The API" table. A path
	 * without a method takes the previous one's; a relative one ({@code /leave}) extends the
	 * previous path's parent; a method without a path shares the next path.
	 */
	static List<String> apiTable(String readme) {
		String section = readme.substring(readme.indexOf("## The API"));
		section = section.substring(0, section.indexOf("\n## ", 1));
		List<String> routes = new ArrayList<>();
		for (String line : section.lines().filter(line -> line.startsWith("| `")).toList()) {
			String cell = line.substring(1, line.indexOf('|', 1));
			List<String> pending = new ArrayList<>();
			String method = null;
			String previous = null;
			Matcher token = ENDPOINT.matcher(cell);
			while (token.find()) {
				String path = token.group(2);
				if (token.group(1) != null) {
					method = token.group(1);
					if (path == null) {
						pending.add(method);
						continue;
					}
				}
				if (path == null) {
					continue;
				}
				if (!path.startsWith("/api/")) {
					path = previous.substring(0, previous.lastIndexOf('/')) + path;
				}
				pending.add(method);
				for (String each : pending) {
					routes.add(each + " " + path);
				}
				pending.clear();
				previous = path;
			}
		}
		return routes;
	}

	private static List<String> collectRefs(JsonNode node) {
		List<String> refs = new ArrayList<>();
		if (node.has("$ref")) {
			refs.add(node.get("$ref").asString());
		}
		node.values().forEach(child -> refs.addAll(collectRefs(child)));
		return refs;
	}

	private static HttpResponse<String> get(String uri, String token) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(10));
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		return send(request.GET().build());
	}

	private static HttpResponse<String> post(String uri, String token, String body) {
		return send(HttpRequest.newBuilder(URI.create(uri))
			.timeout(Duration.ofSeconds(10))
			.header("Authorization", "Bearer " + token)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build());
	}

	private static HttpResponse<String> send(HttpRequest request) {
		try {
			return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException(request.uri() + " failed", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
