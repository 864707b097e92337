package dev.chat.auth.registration;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

import static org.springframework.data.mongodb.core.query.Criteria.where;

/**
 * The {@code registrations} collection: inserts and deletes by {@code _id} (exact on the local
 * store), one replacement by the registration's own request, and a scan of what is pending, which
 * stays small (entries live for the length of a request, or until the relay catches up).
 */
@Component
class PendingRegistrations {

	private final ReactiveMongoTemplate mongo;

	PendingRegistrations(ReactiveMongoTemplate mongo) {
		this.mongo = mongo;
	}

	/** Fails with a duplicate key when a registration of the same username is pending. */
	Mono<Void> intend(PendingRegistration registration) {
		return mongo.insert(registration).then();
	}

	/** Only the registration's own request calls this, and before the relay may touch the entry. */
	Mono<Void> ready(PendingRegistration registration) {
		return mongo.save(registration).then();
	}

	Mono<Void> forget(String username) {
		return mongo.remove(new Query(where("_id").is(username)), PendingRegistration.class).then();
	}

	Flux<PendingRegistration> oldest(int limit) {
		return mongo.find(new Query().with(Sort.by("createdAt", "_id")).limit(limit), PendingRegistration.class);
	}

	Mono<Long> size() {
		return mongo.count(new Query(), PendingRegistration.class);
	}

}
