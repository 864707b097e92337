package dev.chat.auth.keycloak;

/**
 * A user to create in Keycloak.
 *
 * @param username the login name (Keycloak stores it lower-cased)
 * @param email the email address, or null
 * @param password the initial password, not temporary
 */
public record NewUser(String username, String email, String password) {

	@Override
	public String toString() {
		return "NewUser[username=" + username + ", email=" + email + ", password=***]";
	}

}
