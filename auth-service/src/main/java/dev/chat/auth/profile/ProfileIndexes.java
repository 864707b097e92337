package dev.chat.auth.profile;

import java.time.Duration;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.stereotype.Component;

/**
 * Creates the unique index on {@code username} at start-up, before the service takes requests,
 * and fails the start when it cannot (for instance because stored profiles already share a
 * username): without it two profiles could claim one name.
 */
@Component
class ProfileIndexes implements InitializingBean {

	static final String USERNAME_INDEX = "username_unique";

	private final ReactiveMongoTemplate mongo;

	ProfileIndexes(ReactiveMongoTemplate mongo) {
		this.mongo = mongo;
	}

	@Override
	public void afterPropertiesSet() {
		mongo.indexOps(Profile.class)
			.createIndex(new Index("username", Sort.Direction.ASC).unique().named(USERNAME_INDEX))
			.block(Duration.ofSeconds(30));
	}

}
