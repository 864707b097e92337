package dev.chat.auth.profile;

import java.util.Map;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

/**
 * Profiles in {@code chat_auth.users}, and who holds each username in {@code chat_auth.usernames}.
 * Everything but {@link #findByUsername} and the start-up backfill reads or writes by {@code _id}.
 */
@Component
class ProfileRepository {

	private final ReactiveMongoTemplate mongo;

	ProfileRepository(ReactiveMongoTemplate mongo) {
		this.mongo = mongo;
	}

	/**
	 * Inserts a new profile; fails with {@link org.springframework.dao.DuplicateKeyException}
	 * when its id or its username is already stored.
	 */
	Mono<Profile> insert(Profile profile) {
		return mongo.insert(profile);
	}

	Mono<Profile> findById(String id) {
		return mongo.findById(id, Profile.class);
	}

	/**
	 * A full collection scan on FerretDB: only for the rare case of a username conflict, never on
	 * a hot path.
	 */
	Mono<Profile> findByUsername(String username) {
		return mongo.findOne(Query.query(Criteria.where("username").is(username)), Profile.class);
	}

	/** The profile holding the username: two reads by {@code _id} ({@link UsernameEntry}). */
	Mono<Profile> findByUsernameEntry(String username) {
		return mongo.findById(username, UsernameEntry.class)
			.flatMap(entry -> findById(entry.userId()))
			.filter(profile -> profile.username().equals(username));
	}

	/** Records which user holds the profile's username, replacing whoever held it before. */
	Mono<Void> saveUsernameEntry(Profile profile) {
		return mongo.save(UsernameEntry.of(profile)).then();
	}

	/** Who holds each indexed username: a full scan, for the start-up backfill only. */
	Mono<Map<String, String>> usernameEntries() {
		return mongo.findAll(UsernameEntry.class).collectMap(UsernameEntry::username, UsernameEntry::userId);
	}

	/** Every profile: a full scan, for the start-up backfill only. */
	Flux<Profile> findAll() {
		return mongo.findAll(Profile.class);
	}

	Mono<Void> deleteById(String id) {
		return mongo.remove(Query.query(Criteria.where("_id").is(id)), Profile.class).then();
	}

}
