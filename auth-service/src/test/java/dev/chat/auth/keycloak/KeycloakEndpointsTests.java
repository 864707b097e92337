package dev.chat.auth.keycloak;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.chat.auth.AuthProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class KeycloakEndpointsTests {

	@Test
	void theBaseUrlIsDerivedFromTheIssuer() {
		KeycloakEndpoints endpoints = KeycloakEndpoints.resolve(keycloak(null, "chat"),
				URI.create("http://localhost:8180/realms/chat"));

		assertThat(endpoints.token()).hasToString("http://localhost:8180/realms/chat/protocol/openid-connect/token");
		assertThat(endpoints.logout()).hasToString("http://localhost:8180/realms/chat/protocol/openid-connect/logout");
		assertThat(endpoints.user("u1")).hasToString("http://localhost:8180/admin/realms/chat/users/u1");
	}

	@Test
	void anIssuerBehindAPathPrefixKeepsItsPrefix() {
		KeycloakEndpoints endpoints = KeycloakEndpoints.resolve(keycloak(null, "chat"),
				URI.create("https://sso.example.com/auth/realms/chat/"));

		assertThat(endpoints.users()).hasToString("https://sso.example.com/auth/admin/realms/chat/users");
	}

	@Test
	void aGivenBaseUrlWinsOverTheIssuer() {
		KeycloakEndpoints endpoints = KeycloakEndpoints.resolve(keycloak("http://keycloak:8080/", "chat"),
				URI.create("https://sso.example.com/realms/chat"));

		assertThat(endpoints.token()).hasToString("http://keycloak:8080/realms/chat/protocol/openid-connect/token");
	}

	@Test
	void anIssuerOfAnotherRealmFailsTheStartNamingBothProperties() {
		assertThatIllegalStateException()
			.isThrownBy(() -> KeycloakEndpoints.resolve(keycloak(null, "chat"),
					URI.create("http://localhost:8180/realms/other")))
			.withMessageContaining("chat.security.issuer-uri")
			.withMessageContaining("chat.auth.keycloak.base-url");
	}

	@Test
	void theSecretIsNotInTheSettingsText() {
		assertThat(keycloak(null, "chat").toString()).doesNotContain("s3cr3t");
	}

	private static AuthProperties.Keycloak keycloak(String baseUrl, String realm) {
		return new AuthProperties.Keycloak(baseUrl != null ? URI.create(baseUrl) : null, realm, "chat-auth-service",
				"s3cr3t", Duration.ofSeconds(2), Duration.ofSeconds(10));
	}

}
