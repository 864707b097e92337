package dev.chat.common.docs;

import io.swagger.v3.oas.models.OpenAPI;
import org.springdoc.core.configuration.SpringDocConfiguration;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;

import dev.chat.common.security.ChatSecurityAutoConfiguration;
import dev.chat.common.security.ChatSecurityProperties;

/**
 * Gives every service that has springdoc on its classpath the shared parts of its OpenAPI
 * document ({@link ChatOpenApi}); the service's controllers add their operations.
 */
@AutoConfiguration(after = ChatSecurityAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass({ OpenAPI.class, SpringDocConfiguration.class })
public class ChatOpenApiAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	OpenAPI chatOpenApi(ChatSecurityProperties security, @Value("${spring.application.name:chat}") String service) {
		return ChatOpenApi.document(service, security.issuerUri());
	}

	@Bean
	OpenApiCustomizer chatCommonResponses(ChatSecurityProperties security) {
		return new CommonResponses(security.publicPaths());
	}

	@Bean
	OpenApiCustomizer chatIdentifierParameters() {
		return new IdentifierParameters();
	}

}
