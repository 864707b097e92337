package dev.chat.room.room;

import java.time.Duration;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.stereotype.Component;

import dev.chat.room.store.StoreDialect;

/**
 * The index listings sort by on MongoDB, created at start-up (the start fails if it cannot be).
 * None on FerretDB, which uses no index but {@code _id}'s.
 */
@Component
class RoomIndexes implements InitializingBean {

	private final ReactiveMongoTemplate mongo;

	private final StoreDialect dialect;

	RoomIndexes(ReactiveMongoTemplate mongo, StoreDialect dialect) {
		this.mongo = mongo;
		this.dialect = dialect;
	}

	@Override
	public void afterPropertiesSet() {
		if (!dialect.sortsByScanning()) {
			mongo.indexOps(Room.class)
				.createIndex(new Index("listKey", Sort.Direction.ASC).named("listKey"))
				.block(Duration.ofSeconds(30));
		}
	}

}
