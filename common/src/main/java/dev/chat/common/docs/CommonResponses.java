package dev.chat.common.docs;

import java.util.List;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * The error responses every operation can give, so controllers declare only their own: 400 (any
 * request can be malformed: a body, a parameter, or a path that the security firewall refuses,
 * such as one with encoded control characters), 401 unless its path is public (which also clears
 * its security requirement), and 500. The paths are matched as
 * {@code ChatSecurityAutoConfiguration} matches requests.
 */
final class CommonResponses implements OpenApiCustomizer {

	private final List<PathPattern> publicPaths;

	CommonResponses(List<String> publicPaths) {
		this.publicPaths = publicPaths.stream().map(PathPatternParser.defaultInstance::parse).toList();
	}

	@Override
	public void customise(OpenAPI openApi) {
		if (openApi.getPaths() == null) {
			return;
		}
		openApi.getPaths().forEach((path, item) -> {
			boolean open = publicPaths.stream().anyMatch(p -> p.matches(PathContainer.parsePath(path)));
			item.readOperations().forEach(operation -> {
				ApiResponses responses = operation.getResponses();
				responses.putIfAbsent("400", ref(ChatOpenApi.BAD_REQUEST));
				if (open) {
					operation.setSecurity(List.of());
				}
				else {
					responses.putIfAbsent("401", ref(ChatOpenApi.UNAUTHORIZED));
				}
				responses.putIfAbsent("500", ref(ChatOpenApi.INTERNAL_ERROR));
			});
		});
	}

	private static ApiResponse ref(String name) {
		return new ApiResponse().$ref("#/components/responses/" + name);
	}

}
