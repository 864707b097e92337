package dev.chat.test.containers;

import org.apache.kafka.common.utils.AppInfoParser;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.mongodb.MongoDBContainer;

/**
 * The Testcontainers variant of the harness, for machines with a Docker engine: with
 * {@code CHAT_TEST_CONTAINERS=true}, {@code TestMongo} and {@code TestKafka} run the production
 * engines (MongoDB, Apache Kafka) in containers instead of FerretDB and the in-JVM broker. One
 * container of each per JVM, started on first use; Testcontainers' reaper removes them if the
 * JVM dies before its shutdown hook runs.
 */
public final class TestContainers {

	/** The environment variable that switches the harness to containers. */
	public static final String ENV = "CHAT_TEST_CONTAINERS";

	/** The MongoDB line production runs. */
	public static final String MONGO_IMAGE = "mongo:8.0";

	private static MongoDBContainer mongo;

	private static KafkaContainer kafka;

	public static boolean enabled() {
		return Boolean.parseBoolean(System.getenv(ENV));
	}

	/** The broker image of the same Kafka version as the clients on the classpath. */
	public static String kafkaImage() {
		return "apache/kafka:" + AppInfoParser.getVersion();
	}

	public static synchronized String mongoUri() {
		if (mongo == null) {
			mongo = start(new MongoDBContainer(MONGO_IMAGE));
		}
		return mongo.getConnectionString();
	}

	public static synchronized String kafkaBootstrapServers() {
		if (kafka == null) {
			kafka = start(new KafkaContainer(kafkaImage()));
		}
		return kafka.getBootstrapServers();
	}

	private static <C extends GenericContainer<?>> C start(C container) {
		if (!DockerClientFactory.instance().isDockerAvailable()) {
			throw new IllegalStateException(ENV + "=true, but no Docker engine is reachable: unset " + ENV
					+ " to test against FerretDB and the in-JVM Kafka broker");
		}
		container.start();
		Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "container-stop"));
		return container;
	}

	private TestContainers() {
	}

}
