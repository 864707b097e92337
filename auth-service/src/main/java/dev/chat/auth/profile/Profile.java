package dev.chat.auth.profile;

import java.time.Instant;

import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;

/**
 * A user's profile, stored in {@code chat_auth.users}.
 *
 * <p>
 * Keyed by the Keycloak user id: every read on a hot path is a lookup by {@code _id}, the only
 * lookup FerretDB does not answer with a full scan. The username has a unique index
 * ({@link ProfileIndexes}), which the store enforces on insert.
 *
 * @param id the Keycloak user id, the {@code sub} of the user's tokens
 * @param username the login name, lower-cased as Keycloak stores it
 * @param email the email address, or null
 * @param displayName the name to show; the username when none was given
 * @param createdAt when the profile was stored
 */
@Document(Profile.COLLECTION)
public record Profile(@MongoId(FieldType.STRING) String id, String username, String email, String displayName,
		Instant createdAt) {

	static final String COLLECTION = "users";

}
