package dev.chat.auth.keycloak;

import java.net.URI;

import dev.chat.auth.AuthProperties;

/**
 * The Keycloak URLs auth-service calls, resolved once at start-up.
 *
 * @param token the realm's OAuth token endpoint (password, refresh and client-credentials grants)
 * @param logout the realm's logout endpoint, which ends the session of a refresh token
 * @param users the admin API's user collection
 */
public record KeycloakEndpoints(URI token, URI logout, URI users) {

	/**
	 * Resolves the endpoints from the configured base URL or, when there is none, from the issuer,
	 * which Keycloak forms as {@code <base>/realms/<realm>}. Fails at start-up, naming both
	 * properties, when the issuer does not have that form.
	 */
	public static KeycloakEndpoints resolve(AuthProperties.Keycloak keycloak, URI issuer) {
		String realmPath = "/realms/" + keycloak.realm();
		String base;
		if (keycloak.baseUrl() != null) {
			base = keycloak.baseUrl().toString();
		}
		else {
			String iss = issuer.toString().replaceAll("/+$", "");
			if (!iss.endsWith(realmPath)) {
				throw new IllegalStateException("chat.security.issuer-uri (" + issuer + ") does not end with " + realmPath
						+ " (chat.auth.keycloak.realm); set chat.auth.keycloak.base-url to Keycloak's root URL");
			}
			base = iss.substring(0, iss.length() - realmPath.length());
		}
		base = base.replaceAll("/+$", "");
		String oidc = base + realmPath + "/protocol/openid-connect";
		String admin = base + "/admin" + realmPath;
		return new KeycloakEndpoints(URI.create(oidc + "/token"), URI.create(oidc + "/logout"),
				URI.create(admin + "/users"));
	}

	URI user(String userId) {
		return URI.create(users + "/" + userId);
	}

}
