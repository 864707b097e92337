package dev.chat.room.store;

import java.time.Duration;

import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.stereotype.Component;

/**
 * Which store is on the Mongo wire, asked once at start-up ({@code buildInfo}; FerretDB adds
 * {@code ferretdbVersion}); the start fails if the store does not answer.
 *
 * <p>
 * Why it matters: FerretDB sorts by reading and sorting every matching document, whatever the
 * indexes, but without a sort it streams the collection in insertion order and stops at the
 * limit. MongoDB sorts from an index. Queries whose order is also the insertion order can skip
 * the sort on FerretDB ({@link #sortsByScanning}).
 */
@Component
public class StoreDialect implements InitializingBean {

	private static final Logger log = LoggerFactory.getLogger(StoreDialect.class);

	private final ReactiveMongoTemplate mongo;

	private volatile boolean ferretDb;

	StoreDialect(ReactiveMongoTemplate mongo) {
		this.mongo = mongo;
	}

	@Override
	public void afterPropertiesSet() {
		Document info = mongo.executeCommand(new Document("buildInfo", 1)).block(Duration.ofSeconds(30));
		ferretDb = info != null && info.containsKey("ferretdbVersion");
		log.atInfo()
			.addKeyValue("store", ferretDb ? "FerretDB " + info.get("ferretdbVersion") : "MongoDB")
			.addKeyValue("version", info == null ? null : info.get("version"))
			.log(ferretDb ? "store sorts by scanning: listings use insertion order" : "store sorts from indexes");
	}

	/**
	 * True on FerretDB: a sort reads every matching document, while an unsorted query returns
	 * documents in insertion order (SQLite's rowid order) and stops at its limit.
	 */
	public boolean sortsByScanning() {
		return ferretDb;
	}

}
