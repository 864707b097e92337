package dev.chat.auth.keycloak;

/** Creates {@link KeycloakUnavailable}s, whose constructor is package-private, for other packages' tests. */
public final class KeycloakUnavailableForTests {

	private KeycloakUnavailableForTests() {
	}

	public static KeycloakUnavailable create() {
		return new KeycloakUnavailable("Keycloak answered 503", null);
	}

}
