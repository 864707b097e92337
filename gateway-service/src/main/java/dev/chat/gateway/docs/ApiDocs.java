package dev.chat.gateway.docs;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;

import dev.chat.gateway.GatewayProperties;

/**
 * The merged document, built from each service's {@code /v3/api-docs} read over HTTP (never on a
 * blocking call). A merged document is kept for {@link #FRESH} and then read again, so that
 * services deployed since appear; a failure is not kept, the next request tries again.
 */
@Component
class ApiDocs {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private static final Duration FRESH = Duration.ofMinutes(1);

	/** A service did not answer with its document. */
	static final class ServiceDocsUnavailable extends RuntimeException {

		ServiceDocsUnavailable(String service, Throwable cause) {
			super(service + " did not answer with its OpenAPI document", cause, false, false);
		}

	}

	private final WebClient client;

	private final Mono<ObjectNode> merged;

	ApiDocs(WebClient.Builder builder, GatewayProperties properties) {
		this.client = builder.build();
		GatewayProperties.Services services = properties.services();
		Map<String, URI> bases = new LinkedHashMap<>();
		bases.put("auth-service", services.auth());
		bases.put("room-service", services.rooms());
		bases.put("message-service", services.messages());
		bases.put("presence-service", services.presence());
		this.merged = Flux.fromIterable(bases.entrySet())
			.flatMapSequential(service -> document(service.getKey(), service.getValue()))
			.collectList()
			.map(OpenApiMerge::merge)
			.cache(document -> FRESH, error -> Duration.ZERO, () -> Duration.ZERO);
	}

	/** The merged document; fails with {@link ServiceDocsUnavailable} if any service's is missing. */
	Mono<ObjectNode> merged() {
		return merged;
	}

	private Mono<OpenApiMerge.ServiceDocument> document(String service, URI base) {
		return client.get()
			.uri(base.resolve("/v3/api-docs"))
			.retrieve()
			.bodyToMono(JsonNode.class)
			.timeout(TIMEOUT)
			.map(document -> new OpenApiMerge.ServiceDocument(service, document))
			.onErrorMap(ex -> new ServiceDocsUnavailable(service, ex));
	}

}
