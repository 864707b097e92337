package dev.chat.auth.keycloak;

/**
 * Keycloak could not be reached, timed out or failed (5xx). The request may be retried.
 */
public class KeycloakUnavailable extends RuntimeException {

	KeycloakUnavailable(String message, Throwable cause) {
		super(message, cause);
	}

}
