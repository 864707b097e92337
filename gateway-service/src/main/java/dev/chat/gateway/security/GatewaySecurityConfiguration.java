package dev.chat.gateway.security;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

import dev.chat.common.security.ChatJwtDecoders;
import dev.chat.common.security.ChatSecurityProperties;

/** The gateway checks tokens as every service does ({@link ChatJwtDecoders}), and remembers the ones that passed. */
@Configuration(proxyBeanMethods = false)
class GatewaySecurityConfiguration {

	@Bean
	ReactiveJwtDecoder chatJwtDecoder(ChatSecurityProperties properties,
			ObjectProvider<OAuth2TokenValidator<Jwt>> additionalValidators) {
		return new VerifiedTokens(ChatJwtDecoders.create(properties, additionalValidators.orderedStream().toList()),
				properties.clockSkew());
	}

}
