package dev.chat.gateway.docs;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * Merges the services' OpenAPI documents into the gateway's: their {@code /api/**} paths as they
 * are (the gateway routes them unchanged), their components, and their tags. Components that
 * two services define alike (the shared security schemes, {@code Problem}, the error responses)
 * appear once; a name two services use for different things is qualified with the service's
 * name, and that service's references follow it, as does an operation id another service took
 * first. A service's {@code servers} are dropped: the paths are the gateway's.
 */
final class OpenApiMerge {

	private static final String API_PREFIX = "/api/";

	private static final String COMPONENTS_REF = "#/components/";

	/** One service's document. */
	record ServiceDocument(String service, JsonNode document) {
	}

	static ObjectNode merge(List<ServiceDocument> documents) {
		JsonNodeFactory nodes = JsonNodeFactory.instance;
		ObjectNode merged = nodes.objectNode();
		merged.put("openapi", "3.1.0");
		merged.putObject("info")
			.put("title", "chat API")
			.put("version", "v1")
			.put("description", "Every public REST route of the chat platform, as served through the gateway. "
					+ "Errors are RFC 9457 problem documents (application/problem+json): branch on `type`. "
					+ "The WebSocket protocol on /ws and the Kafka topics are described in docs/asyncapi.yaml.");
		ObjectNode paths = merged.putObject("paths");
		ObjectNode components = merged.putObject("components");
		Map<String, JsonNode> tags = new LinkedHashMap<>();
		Set<String> operationIds = new HashSet<>();
		for (ServiceDocument service : documents) {
			ObjectNode document = (ObjectNode) service.document().deepCopy();
			Map<String, String> renames = conflictingNames(document, components, service.service());
			rewriteRefs(document, renames);
			addComponents(document, components, renames);
			qualifyTakenOperationIds(document, operationIds, service.service());
			addPaths(document, paths);
			document.path("tags").values().forEach(tag -> tags.putIfAbsent(tag.path("name").asString(), tag));
			if (!merged.has("security") && document.has("security")) {
				merged.set("security", document.get("security"));
			}
		}
		merged.putArray("tags").addAll(tags.values());
		return merged;
	}

	/**
	 * The components of {@code document} whose names are taken by different content, mapped
	 * from their reference to the qualified one.
	 */
	private static Map<String, String> conflictingNames(ObjectNode document, ObjectNode merged, String service) {
		Map<String, String> renames = new HashMap<>();
		document.path("components").properties().forEach(section -> {
			JsonNode existing = merged.path(section.getKey());
			section.getValue().properties().forEach(component -> {
				JsonNode taken = existing.get(component.getKey());
				if (taken != null && !taken.equals(component.getValue())) {
					String prefix = COMPONENTS_REF + section.getKey() + "/";
					renames.put(prefix + component.getKey(), prefix + service + "." + component.getKey());
				}
			});
		});
		return renames;
	}

	private static void rewriteRefs(JsonNode node, Map<String, String> renames) {
		if (renames.isEmpty()) {
			return;
		}
		if (node instanceof ObjectNode object) {
			JsonNode ref = object.get("$ref");
			if (ref != null && ref.isString() && renames.containsKey(ref.stringValue())) {
				object.set("$ref", StringNode.valueOf(renames.get(ref.stringValue())));
			}
		}
		node.values().forEach(child -> rewriteRefs(child, renames));
	}

	private static void addComponents(ObjectNode document, ObjectNode merged, Map<String, String> renames) {
		document.path("components").properties().forEach(section -> {
			ObjectNode target = merged.has(section.getKey()) ? (ObjectNode) merged.get(section.getKey())
					: merged.putObject(section.getKey());
			String prefix = COMPONENTS_REF + section.getKey() + "/";
			section.getValue().properties().forEach(component -> {
				String name = renames.getOrDefault(prefix + component.getKey(), prefix + component.getKey())
					.substring(prefix.length());
				target.putIfAbsent(name, component.getValue());
			});
		});
	}

	/** OpenAPI wants operation ids unique in a document; each service's are unique only in its own. */
	private static void qualifyTakenOperationIds(ObjectNode document, Set<String> taken, String service) {
		document.path("paths").values().forEach(path -> path.values().forEach(operation -> {
			if (operation instanceof ObjectNode object && operation.path("operationId").isString()) {
				String id = operation.path("operationId").stringValue();
				if (!taken.add(id)) {
					object.put("operationId", service + "." + id);
					taken.add(service + "." + id);
				}
			}
		}));
	}

	/** Operations of a path two services share (none today) are kept per method, first one wins. */
	private static void addPaths(ObjectNode document, ObjectNode merged) {
		document.path("paths").properties().forEach(path -> {
			if (!path.getKey().startsWith(API_PREFIX)) {
				return;
			}
			if (merged.get(path.getKey()) instanceof ObjectNode operations) {
				path.getValue().properties().forEach(op -> operations.putIfAbsent(op.getKey(), op.getValue()));
			}
			else {
				merged.set(path.getKey(), path.getValue());
			}
		});
	}

	private OpenApiMerge() {
	}

}
