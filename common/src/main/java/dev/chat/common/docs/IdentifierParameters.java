package dev.chat.common.docs;

import java.util.Map;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import org.springdoc.core.customizers.OpenApiCustomizer;

/**
 * Documents the shape of the ids in paths, which every service shares: a room id is
 * room-service's 24 lowercase hex digits, a message id is its room id, a dash and its seq. A
 * value of another shape names nothing: services answer it with 400 or 404. Said once here, so
 * that a client (or a fuzzer) that builds ids from the document builds real ones.
 */
final class IdentifierParameters implements OpenApiCustomizer {

	static final Map<String, StringSchema> SHAPES = Map.of(
			"roomId", shape("^[0-9a-f]{24}$", "6b15e41808bbc68449d93f66", "A room id: 24 lowercase hex digits."),
			"messageId", shape("^[0-9a-f]{24}-[1-9][0-9]{0,17}$", "6b15e41808bbc68449d93f66-42",
					"A message id: its room id, a dash and its seq."));

	@Override
	public void customise(OpenAPI openApi) {
		if (openApi.getPaths() == null) {
			return;
		}
		openApi.getPaths()
			.values()
			.forEach(item -> item.readOperations()
				.stream()
				.filter(operation -> operation.getParameters() != null)
				.flatMap(operation -> operation.getParameters().stream())
				.filter(parameter -> "path".equals(parameter.getIn()) && SHAPES.containsKey(parameter.getName()))
				.forEach(IdentifierParameters::describe));
	}

	private static void describe(Parameter parameter) {
		StringSchema shape = SHAPES.get(parameter.getName());
		parameter.setSchema(new StringSchema().pattern(shape.getPattern()).example(shape.getExample()));
		if (parameter.getDescription() == null) {
			parameter.setDescription(shape.getDescription());
		}
	}

	private static StringSchema shape(String pattern, String example, String description) {
		StringSchema schema = new StringSchema();
		schema.pattern(pattern).example(example).description(description);
		return schema;
	}

}
