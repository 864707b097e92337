package dev.chat.room;

import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * Who makes a request: the token's subject (the Keycloak user id) and whether the token carries
 * the realm role {@code admin}.
 */
public record Caller(String userId, boolean admin) {

	public static Caller of(JwtAuthenticationToken authentication) {
		boolean admin = authentication.getAuthorities()
			.stream()
			.anyMatch(authority -> "ROLE_admin".equals(authority.getAuthority()));
		return new Caller(authentication.getToken().getSubject(), admin);
	}

}
