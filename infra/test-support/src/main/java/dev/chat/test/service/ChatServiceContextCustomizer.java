package dev.chat.test.service;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.support.TestPropertySourceUtils;

import dev.chat.test.kafka.TestKafka;
import dev.chat.test.mongo.TestMongo;
import dev.chat.test.tokens.TokenMinter;

/**
 * Points one {@link ChatServiceTest} context at the JVM's store, Kafka and token issuer.
 *
 * <p>
 * A record: its equality is the context's cache key, and the database is the only thing that
 * differs between test classes (the store, the broker and the minter are the JVM's).
 *
 * @param database the test class's own database
 */
record ChatServiceContextCustomizer(String database) implements ContextCustomizer {

	static final String PROPERTY_SOURCE = "chatServiceTest";

	@Override
	public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
		// The broker takes a few seconds to start, FerretDB about one: start them side by side.
		CompletableFuture<TestMongo> starting = CompletableFuture.supplyAsync(TestMongo::shared);
		TestKafka kafka = TestKafka.shared();
		TokenMinter minter = TokenMinter.shared();
		TestMongo mongo = join(starting);

		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("spring.mongodb.uri", mongo.uri(database));
		properties.put("spring.kafka.bootstrap-servers", kafka.bootstrapServers());
		properties.put("chat.security.issuer-uri", minter.issuerUri().toString());
		properties.put("chat.security.jwk-set-uri", minter.jwkSetUri().toString());
		MutablePropertySources sources = context.getEnvironment().getPropertySources();
		MapPropertySource harness = new MapPropertySource(PROPERTY_SOURCE, properties);
		// Above the service's own configuration, below what the test class itself declares.
		if (sources.contains(TestPropertySourceUtils.INLINED_PROPERTIES_PROPERTY_SOURCE_NAME)) {
			sources.addAfter(TestPropertySourceUtils.INLINED_PROPERTIES_PROPERTY_SOURCE_NAME, harness);
		}
		else {
			sources.addFirst(harness);
		}

		// A manually registered singleton: the context never closes the JVM's shared minter.
		context.getBeanFactory().registerSingleton("tokenMinter", minter);
		if (mongo.kind() == TestMongo.Kind.EXTERNAL) {
			context.addApplicationListener(event -> {
				if (event instanceof ContextClosedEvent) {
					mongo.drop(database);
				}
			});
		}
	}

	private static TestMongo join(CompletableFuture<TestMongo> starting) {
		try {
			return starting.join();
		}
		catch (CompletionException ex) {
			if (ex.getCause() instanceof RuntimeException cause) {
				throw cause;
			}
			throw ex;
		}
	}

}
