package dev.chat.e2e.stack;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.chat.e2e.support.TestStackExtension;
import dev.chat.stack.Stack;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stack's FerretDB is the patched build: lookups by {@code _id} use the index (see
 * "Storage on the Mongo wire" in ARCHITECTURE.md). A build without the fix fails both tests:
 * SQLite's plan reports a full scan, and each lookup in 100,000 documents takes seconds.
 */
@ExtendWith(TestStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FerretDbIdIndexIntegrationTests {

	private static final int DOCUMENTS = 100_000;

	private MongoClient client;

	private MongoCollection<Document> collection;

	@BeforeAll
	void fillACollection(Stack stack) {
		client = MongoClients.create(stack.config().mongoUri("e2e_index"));
		MongoDatabase database = client.getDatabase("e2e_index");
		collection = database.getCollection("lookups");
		collection.drop();
		List<Document> batch = new ArrayList<>();
		for (int i = 0; i < DOCUMENTS; i++) {
			batch.add(new Document("_id", "doc-" + i).append("room", "room-" + (i % 100)).append("n", i));
			if (batch.size() == 5_000) {
				collection.insertMany(batch);
				batch.clear();
			}
		}
	}

	@AfterAll
	void dropIt() {
		collection.drop();
		client.close();
	}

	@Test
	void explainOfAFindByIdReportsThatSqliteUsesTheIndex() {
		Document explain = client.getDatabase("e2e_index")
			.runCommand(new Document("explain",
					new Document("find", "lookups").append("filter", new Document("_id", "doc-42"))));

		List<?> plan = explain.get("queryPlanner", Document.class).getList("Plan", Object.class);
		assertThat(plan).as("SQLite query plan").anySatisfy(step -> assertThat(step.toString()).contains("USING INDEX"));
		assertThat(plan).noneSatisfy(step -> assertThat(step.toString()).containsPattern("SCAN \\S+$"));
	}

	@Test
	void aLookupByIdIn100000DocumentsAnswersInMilliseconds() {
		Random random = new Random(7);
		long[] micros = new long[200];
		for (int i = 0; i < micros.length; i++) {
			int n = random.nextInt(DOCUMENTS);
			long begin = System.nanoTime();
			Document found = collection.find(Filters.eq("_id", "doc-" + n)).first();
			micros[i] = (System.nanoTime() - begin) / 1_000;
			assertThat(found).isNotNull();
			assertThat(found.getInteger("n")).isEqualTo(n);
		}
		Arrays.sort(micros);
		long median = micros[micros.length / 2];
		System.out.printf("lookup by _id in %,d documents: median %d us, p99 %d us%n", DOCUMENTS, median,
				micros[micros.length * 99 / 100]);
		// A full scan of this collection takes seconds; an indexed lookup well under these bounds.
		assertThat(median).as("median lookup, microseconds").isLessThan(50_000);
	}

}
