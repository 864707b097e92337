package dev.chat.test.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import dev.chat.common.kafka.Topics;
import dev.chat.test.containers.TestContainers;

/**
 * The Kafka of one test JVM, started on first use, with every topic of {@link Topics#ALL} and
 * its dead-letter topic created, as the local stack creates them. Which Kafka is chosen once
 * per JVM:
 * <ol>
 * <li>{@code CHAT_TEST_KAFKA_BOOTSTRAP} set: that cluster; missing topics are created;
 * <li>{@code CHAT_TEST_CONTAINERS=true}: a Kafka container (needs a Docker engine);
 * <li>otherwise: an in-JVM KRaft broker (spring-kafka-test), a real broker on a free port.
 * </ol>
 * Like the stack's broker it does not create topics on first use, so a service that writes to
 * a topic the platform does not declare fails in its tests, not only in production.
 */
public final class TestKafka {

	/** The environment variable naming a Kafka cluster to use instead of starting one. */
	public static final String BOOTSTRAP_ENV = "CHAT_TEST_KAFKA_BOOTSTRAP";

	/** Partitions of each topic: more than one, so that per-key ordering is really exercised. */
	public static final int PARTITIONS = 3;

	private static TestKafka shared;

	private final String bootstrapServers;

	private final String description;

	private TestKafka(String bootstrapServers, String description) {
		this.bootstrapServers = bootstrapServers;
		this.description = description;
	}

	/** The Kafka of this JVM, started on first call (embedded: a few seconds). */
	public static synchronized TestKafka shared() {
		if (shared == null) {
			String external = System.getenv(BOOTSTRAP_ENV);
			if (external != null && !external.isBlank()) {
				shared = withTopics(external, "Kafka from " + BOOTSTRAP_ENV);
			}
			else if (TestContainers.enabled()) {
				shared = withTopics(TestContainers.kafkaBootstrapServers(), "Kafka container");
			}
			else {
				shared = embedded();
			}
		}
		return shared;
	}

	public String bootstrapServers() {
		return bootstrapServers;
	}

	/** Every topic of the platform with its dead-letter topic. */
	public static List<String> topicNames() {
		List<String> names = new ArrayList<>();
		for (String topic : Topics.ALL) {
			names.add(topic);
			names.add(Topics.deadLetter(topic));
		}
		return names;
	}

	private static TestKafka embedded() {
		EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, PARTITIONS,
				topicNames().toArray(String[]::new));
		broker.brokerProperties(Map.of("auto.create.topics.enable", "false"));
		broker.afterPropertiesSet();
		// No shutdown hook of ours: the broker's threads die with the JVM, and Kafka's test kit
		// deletes its temporary log directory in a hook of its own. Destroying the broker from
		// another hook raced with that deletion and with Spring closing its cached contexts
		// (whose clients still talk to the broker), and filled the logs with storage errors.
		return new TestKafka(broker.getBrokersAsString(), "embedded KRaft broker at " + broker.getBrokersAsString());
	}

	private static TestKafka withTopics(String bootstrapServers, String description) {
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
			Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
			List<NewTopic> missing = topicNames().stream()
				.filter(name -> !existing.contains(name))
				.map(name -> new NewTopic(name, PARTITIONS, (short) 1))
				.toList();
			admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
			return new TestKafka(bootstrapServers, description + " at " + bootstrapServers);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while creating topics on " + bootstrapServers, ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("cannot create the platform's topics on " + bootstrapServers, ex);
		}
	}

	@Override
	public String toString() {
		return description;
	}

}
