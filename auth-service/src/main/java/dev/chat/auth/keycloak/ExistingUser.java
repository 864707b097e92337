package dev.chat.auth.keycloak;

import java.time.Instant;

/**
 * A user Keycloak has.
 *
 * @param id the user id, the {@code sub} of the user's tokens
 * @param createdAt when Keycloak created the user (its {@code createdTimestamp})
 */
public record ExistingUser(String id, Instant createdAt) {
}
