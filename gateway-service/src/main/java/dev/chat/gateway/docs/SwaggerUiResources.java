package dev.chat.gateway.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springdoc.core.properties.SwaggerUiConfigProperties;
import org.springdoc.webflux.ui.SwaggerIndexTransformer;
import org.springdoc.webflux.ui.SwaggerResourceResolver;
import org.springdoc.webflux.ui.SwaggerWebFluxConfigurer;
import org.springdoc.webflux.ui.SwaggerWelcomeCommon;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.autoconfigure.web.WebProperties;
import org.springframework.boot.webflux.autoconfigure.WebFluxProperties;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.web.reactive.config.ResourceHandlerRegistration;
import org.springframework.web.reactive.config.ResourceHandlerRegistry;
import org.springframework.web.reactive.resource.ResourceResolver;
import org.springframework.web.reactive.resource.ResourceResolverChain;
import org.springframework.web.server.ServerWebExchange;

/**
 * Springdoc's Swagger UI file handlers, with each file read from its jar once, on a
 * bounded-elastic thread, and served from memory after that. WebFlux's resource handling reads a
 * classpath resource with blocking jar I/O on the thread that asks, an event-loop thread here;
 * the files are a few (about 2 MB), so holding them is cheaper than reading them per request.
 * The index and initializer are still transformed per request (they carry the request's URLs).
 */
final class SwaggerUiResources extends SwaggerWebFluxConfigurer {

	private final SwaggerIndexTransformer indexTransformer;

	private final SwaggerResourceResolver webJarResolver;

	SwaggerUiResources(SwaggerUiConfigProperties properties, WebProperties web, WebFluxProperties webFlux,
			SwaggerIndexTransformer indexTransformer, SwaggerResourceResolver webJarResolver,
			SwaggerWelcomeCommon welcome) {
		super(properties, web, webFlux, indexTransformer, webJarResolver, welcome);
		this.indexTransformer = indexTransformer;
		this.webJarResolver = webJarResolver;
	}

	@Override
	protected void addSwaggerResourceHandler(ResourceHandlerRegistry registry,
			SwaggerResourceHandlerConfig handlerConfig) {
		ResourceHandlerRegistration registration = registry.addResourceHandler(handlerConfig.patternsArray())
			.addResourceLocations(handlerConfig.locationsArray());
		registration.setUseLastModified(false);
		if (!handlerConfig.cacheResources()) {
			registration.setCacheControl(CacheControl.noStore());
		}
		registration.resourceChain(false)
			.addResolver(new InMemory())
			.addResolver(webJarResolver)
			.addTransformer(indexTransformer);
	}

	/**
	 * Resolves through the rest of the chain off the event loop, and keeps what was found (a path
	 * that matched nothing is not kept, so requests for made-up paths cannot fill the map).
	 */
	private static final class InMemory implements ResourceResolver {

		private final Map<String, Resource> found = new ConcurrentHashMap<>();

		@Override
		public Mono<Resource> resolveResource(ServerWebExchange exchange, String requestPath,
				List<? extends Resource> locations, ResourceResolverChain chain) {
			Resource known = found.get(requestPath);
			if (known != null) {
				return Mono.just(known);
			}
			return chain.resolveResource(exchange, requestPath, locations)
				.subscribeOn(Schedulers.boundedElastic())
				.map(resource -> {
					try {
						Resource inMemory = new Loaded(resource.getContentAsByteArray(), resource.getURL(),
								resource.getFilename(), resource.lastModified());
						found.put(requestPath, inMemory);
						return inMemory;
					}
					catch (IOException ex) {
						throw new UncheckedIOException(ex);
					}
				});
		}

		@Override
		public Mono<String> resolveUrlPath(String resourcePath, List<? extends Resource> locations,
				ResourceResolverChain chain) {
			return chain.resolveUrlPath(resourcePath, locations);
		}

	}

	/**
	 * A file's bytes, with what else of it the handlers ask for: springdoc's index transformer
	 * recognizes the initializer by its URL, the content type comes from the name, and a
	 * transformed resource copies the time.
	 */
	private static final class Loaded extends ByteArrayResource {

		private final URL url;

		private final String filename;

		private final long lastModified;

		Loaded(byte[] content, URL url, String filename, long lastModified) {
			super(content, url.toString());
			this.url = url;
			this.filename = filename;
			this.lastModified = lastModified;
		}

		@Override
		public long lastModified() {
			return lastModified;
		}

		@Override
		public URL getURL() {
			return url;
		}

		@Override
		public String getFilename() {
			return filename;
		}

	}

}
