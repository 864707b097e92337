package dev.chat.test.mongo;

import java.util.List;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The harness's store through the plain Mongo driver, and, on FerretDB, proof that the build
 * in use carries the {@code _id} index fix: without it SQLite scans the table for every lookup
 * by {@code _id} (see "Storage on the Mongo wire" in the architecture brief). FerretDB's
 * {@code explain} returns SQLite's query plan under {@code queryPlanner.Plan}.
 */
class FerretDbIntegrationTests {

	private static MongoClient client;

	private static MongoDatabase database;

	@BeforeAll
	static void connect() {
		String name = TestMongo.databaseFor(FerretDbIntegrationTests.class);
		client = MongoClients.create(TestMongo.shared().uri(name));
		database = client.getDatabase(name);
	}

	@AfterAll
	static void dropAndClose() {
		// Matters on a CHAT_TEST_MONGO_URI server, which outlives the test run.
		database.drop();
		client.close();
	}

	@Test
	void documentWrittenIsReadBack() {
		Document bucket = new Document("_id", "room-1:0").append("room", "room-1")
			.append("events", List.of(new Document("seq", 1).append("body", "hello")));
		database.getCollection("written").insertOne(bucket);

		Document read = database.getCollection("written").find(new Document("_id", "room-1:0")).first();

		assertThat(read).isEqualTo(bucket);
	}

	@Test
	void findByIdUsesTheIdIndex() {
		assumeTrue(TestMongo.shared().kind() == TestMongo.Kind.FERRETDB, "the SQLite plan exists on FerretDB only");
		database.getCollection("buckets").insertOne(new Document("_id", "room-1:0"));

		Document explain = explain("buckets", new Document("_id", "room-1:0"));

		assertThat(explain.get("serverInfo", Document.class).getString("ferretdbVersion")).isEqualTo("v1.24.2");
		assertThat(explain.getBoolean("filterPushdown")).as("the _id filter is pushed down to SQLite").isTrue();
		assertThat(sqlitePlan(explain)).as(explain.toJson())
			.anySatisfy(step -> assertThat(step).containsPattern("SEARCH \\S+ USING INDEX \\S+__id_"));
	}

	@Test
	void findByAnotherFieldScansTheCollection() {
		assumeTrue(TestMongo.shared().kind() == TestMongo.Kind.FERRETDB, "the SQLite plan exists on FerretDB only");
		database.getCollection("scanned").insertOne(new Document("_id", "room-1:0").append("room", "room-1"));

		Document explain = explain("scanned", new Document("room", "room-1"));

		// Why hot paths read by _id only: any other filter is evaluated after a full scan.
		assertThat(explain.getBoolean("filterPushdown")).isFalse();
		assertThat(sqlitePlan(explain)).as(explain.toJson()).noneSatisfy(step -> assertThat(step).contains("INDEX"));
	}

	private static Document explain(String collection, Document filter) {
		return database.runCommand(new Document("explain", new Document("find", collection).append("filter", filter)));
	}

	private static List<String> sqlitePlan(Document explain) {
		return explain.get("queryPlanner", Document.class).getList("Plan", String.class);
	}

}
