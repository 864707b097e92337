package dev.chat.test.containers;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Testcontainers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The container variant ({@code CHAT_TEST_CONTAINERS=true}) against real MongoDB and Apache
 * Kafka images. Skipped, never failed, where no Docker engine is reachable (as on the
 * development machines here); runs wherever one is.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainersIntegrationTests {

	@Test
	void mongoContainerStoresAndReadsBack() {
		try (MongoClient client = MongoClients.create(TestContainers.mongoUri())) {
			var collection = client.getDatabase("containers").getCollection("written");
			collection.insertOne(new Document("_id", "room-1:0").append("body", "hello"));

			assertThat(collection.find(new Document("_id", "room-1:0")).first()).containsEntry("body", "hello");
		}
	}

	@Test
	void kafkaContainerRunsTheClientsVersionAndCreatesTopics() throws Exception {
		assertThat(TestContainers.kafkaImage()).startsWith("apache/kafka:4.");
		try (Admin admin = Admin.create(
				Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestContainers.kafkaBootstrapServers()))) {
			admin.createTopics(List.of(new NewTopic("containers.check", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);

			await().atMost(Duration.ofSeconds(30))
				.until(() -> admin.listTopics().names().get(5, TimeUnit.SECONDS).contains("containers.check"));
		}
	}

}
