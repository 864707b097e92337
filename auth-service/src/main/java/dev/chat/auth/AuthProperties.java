package dev.chat.auth;

import java.net.URI;
import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * auth-service's settings ({@code chat.auth.*}).
 *
 * @param keycloak how auth-service reaches Keycloak for tokens and user management
 */
@Validated
@ConfigurationProperties("chat.auth")
public record AuthProperties(@DefaultValue @Valid @NotNull Keycloak keycloak) {

	/**
	 * The Keycloak realm and the confidential client auth-service acts as.
	 *
	 * @param baseUrl Keycloak's root URL (what precedes {@code /realms/...}). Unset, it is derived
	 * from {@code chat.security.issuer-uri}; set it when the issuer's host is a public name this
	 * service cannot reach (a proxy in front of Keycloak, a container network)
	 * @param realm the realm users live in
	 * @param clientId the confidential client used for the password and refresh grants and, through
	 * its service account, for the admin API
	 * @param clientSecret that client's secret; {@code application.yml} carries the local stack's,
	 * every other environment sets {@code CHAT_AUTH_KEYCLOAK_CLIENT_SECRET}
	 * @param connectTimeout how long a connection to Keycloak may take
	 * @param responseTimeout how long a Keycloak answer may take (password hashing included)
	 */
	public record Keycloak(URI baseUrl, @DefaultValue("chat") @NotBlank String realm,
			@DefaultValue("chat-auth-service") @NotBlank String clientId, @NotBlank String clientSecret,
			@DefaultValue("2s") @NotNull Duration connectTimeout, @DefaultValue("10s") @NotNull Duration responseTimeout) {

		@Override
		public String toString() {
			return "Keycloak[baseUrl=" + baseUrl + ", realm=" + realm + ", clientId=" + clientId
					+ ", clientSecret=***, connectTimeout=" + connectTimeout + ", responseTimeout=" + responseTimeout + "]";
		}

	}

}
