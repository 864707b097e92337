package dev.chat.gateway.docs;

import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** The merge on its own; {@code ApiDocsIntegrationTests} serves it through a gateway. */
class OpenApiMergeTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Test
	void anOperationIdAnotherServiceTookIsQualified() {
		JsonNode merged = OpenApiMerge.merge(List.of(service("room-service", "/api/rooms", "list"),
				service("auth-service", "/api/users", "list")));

		assertThat(merged.at("/paths/~1api~1rooms/get/operationId").asString()).isEqualTo("list");
		assertThat(merged.at("/paths/~1api~1users/get/operationId").asString()).isEqualTo("auth-service.list");
	}

	@Test
	void onlyApiPathsAreKept() {
		JsonNode merged = OpenApiMerge.merge(List.of(service("room-service", "/actuator/info", "info")));

		assertThat(merged.path("paths").isEmpty()).isTrue();
	}

	private static OpenApiMerge.ServiceDocument service(String name, String path, String operationId) {
		return new OpenApiMerge.ServiceDocument(name, JSON.readTree("""
				{"openapi": "3.1.0", "paths": {"%s": {"get": {"operationId": "%s", "responses": {}}}}}
				""".formatted(path, operationId)));
	}

}
