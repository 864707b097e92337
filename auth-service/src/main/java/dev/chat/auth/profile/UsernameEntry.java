package dev.chat.auth.profile;

import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;

/**
 * Which user holds a username, in {@code chat_auth.usernames}: {@code GET /api/users?username=}
 * reads one document by {@code _id} instead of scanning the profiles (the unique index on
 * {@code users.username} guards inserts, but FerretDB never answers a query with it).
 *
 * <p>
 * Written after the profile, and replaced when a new profile takes a stale one's name, so it can
 * point at a profile that is gone or renamed: a lookup follows it to the profile and checks the
 * name there.
 *
 * @param username the login name, lower-cased
 * @param userId the id of the profile that held it when this was written
 */
@Document(UsernameEntry.COLLECTION)
record UsernameEntry(@MongoId(FieldType.STRING) String username, String userId) {

	static final String COLLECTION = "usernames";

	static UsernameEntry of(Profile profile) {
		return new UsernameEntry(profile.username(), profile.id());
	}

}
