package dev.chat.auth.keycloak;

/**
 * Keycloak refused a request with a 4xx answer. Callers map the refusals they expect (a taken
 * username, invalid credentials) to their own problems; any other refusal means auth-service or
 * the realm is misconfigured and ends as a 500.
 *
 * <p>
 * The message never contains the request (it may hold a password or a token), only what
 * Keycloak answered.
 */
public class KeycloakRejected extends RuntimeException {

	private final int status;

	private final String error;

	private final String description;

	private final String field;

	public KeycloakRejected(int status, String error, String description, String field) {
		super("Keycloak answered " + status + " " + error + (description != null ? ": " + description : ""));
		this.status = status;
		this.error = error;
		this.description = description;
		this.field = field;
	}

	/** The HTTP status Keycloak answered with. */
	public int status() {
		return status;
	}

	/**
	 * The OAuth {@code error} code ({@code invalid_grant}, ...) or, from the admin API, its
	 * {@code errorMessage}; never null.
	 */
	public String error() {
		return error;
	}

	/** The OAuth {@code error_description}, or null. */
	public String description() {
		return description;
	}

	/** The user attribute an admin API validation error names ({@code email}, ...), or null. */
	public String field() {
		return field;
	}

	/** The grant (credentials, refresh token) is invalid, expired or revoked. */
	public boolean isInvalidGrant() {
		return "invalid_grant".equals(error);
	}

}
