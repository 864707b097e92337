package dev.chat.test.service;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.support.TestPropertySourceUtils;

import dev.chat.test.kafka.TestKafka;
import dev.chat.test.mongo.TestMongo;
import dev.chat.test.tokens.TokenMinter;

import static org.assertj.core.api.Assertions.assertThat;

class ChatServiceContextCustomizerIntegrationTests {

	@Test
	void pointsTheContextAtTheSharedInfrastructure() {
		try (GenericApplicationContext context = new GenericApplicationContext()) {
			new ChatServiceContextCustomizer("test_db").customizeContext(context, null);

			ConfigurableEnvironment environment = context.getEnvironment();
			assertThat(environment.getProperty("spring.mongodb.uri")).isEqualTo(TestMongo.shared().uri("test_db"));
			assertThat(environment.getProperty("spring.kafka.bootstrap-servers"))
				.isEqualTo(TestKafka.shared().bootstrapServers());
			assertThat(environment.getProperty("chat.security.issuer-uri"))
				.isEqualTo(TokenMinter.shared().issuerUri().toString());
			assertThat(environment.getProperty("chat.security.jwk-set-uri"))
				.isEqualTo(TokenMinter.shared().jwkSetUri().toString());
			context.refresh();
			assertThat(context.getBean(TokenMinter.class)).isSameAs(TokenMinter.shared());
		}
	}

	@Test
	void propertiesTheTestDeclaresWin() {
		try (GenericApplicationContext context = new GenericApplicationContext()) {
			context.getEnvironment()
				.getPropertySources()
				.addFirst(new MapPropertySource(TestPropertySourceUtils.INLINED_PROPERTIES_PROPERTY_SOURCE_NAME,
						Map.of("spring.mongodb.uri", "mongodb://elsewhere/db")));

			new ChatServiceContextCustomizer("test_db").customizeContext(context, null);

			assertThat(context.getEnvironment().getProperty("spring.mongodb.uri")).isEqualTo("mongodb://elsewhere/db");
		}
	}

	@Test
	void sharedMinterOutlivesTheContext() {
		try (GenericApplicationContext context = new GenericApplicationContext()) {
			new ChatServiceContextCustomizer("test_db").customizeContext(context, null);
			context.refresh();
		}

		assertThat(TokenMinter.shared().token("alice")).isNotBlank();
		assertThat(java.net.http.HttpClient.newHttpClient()
			.sendAsync(java.net.http.HttpRequest.newBuilder(TokenMinter.shared().jwkSetUri()).build(),
					java.net.http.HttpResponse.BodyHandlers.ofString())
			.join()
			.statusCode()).as("the JWKS server still answers").isEqualTo(200);
	}

}
