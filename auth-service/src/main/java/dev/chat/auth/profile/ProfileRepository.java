package dev.chat.auth.profile;

import reactor.core.publisher.Mono;

import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

/**
 * Profiles in {@code chat_auth.users}. Everything but {@link #findByUsername} reads or writes
 * by {@code _id}.
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

	Mono<Void> deleteById(String id) {
		return mongo.remove(Query.query(Criteria.where("_id").is(id)), Profile.class).then();
	}

}
