package dev.chat.auth.keycloak;

import io.netty.channel.ChannelOption;
import reactor.netty.http.client.HttpClient;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

import dev.chat.auth.AuthProperties;
import dev.chat.common.security.ChatSecurityProperties;

/**
 * The HTTP client for Keycloak. Its own client with explicit timeouts: without them a Keycloak
 * that accepts connections but never answers would hold every registration and login open.
 */
@Configuration(proxyBeanMethods = false)
class KeycloakConfiguration {

	@Bean
	KeycloakEndpoints keycloakEndpoints(AuthProperties properties, ChatSecurityProperties security) {
		return KeycloakEndpoints.resolve(properties.keycloak(), security.issuerUri());
	}

	@Bean
	WebClient keycloakWebClient(AuthProperties properties) {
		AuthProperties.Keycloak keycloak = properties.keycloak();
		HttpClient http = HttpClient.create()
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) keycloak.connectTimeout().toMillis())
			.responseTimeout(keycloak.responseTimeout());
		return WebClient.builder().clientConnector(new ReactorClientHttpConnector(http)).build();
	}

}
