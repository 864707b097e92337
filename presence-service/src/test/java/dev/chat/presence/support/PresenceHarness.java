package dev.chat.presence.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.chat.common.events.RoomEvent;
import dev.chat.common.kafka.Topics;
import dev.chat.presence.PresenceServiceApplication;
import dev.chat.presence.node.NodeLiveness;
import dev.chat.test.kafka.TestKafka;
import dev.chat.test.mongo.TestMongo;
import dev.chat.test.tokens.TokenMinter;

/** What the presence tests share: waiting for the service to listen, room events, fresh ids. */
public final class PresenceHarness {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/**
	 * Waits until the service reads every partition of its topics and its heartbeat watcher
	 * listens. The tests start their consumer groups at the latest offset, so a record sent
	 * earlier would be missed.
	 */
	public static void awaitListening(ApplicationContext context) {
		KafkaListenerEndpointRegistry listeners = context.getBean(KafkaListenerEndpointRegistry.class);
		NodeLiveness liveness = context.getBean(NodeLiveness.class);
		Awaitility.await("presence-service listening on every partition")
			.atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> liveness.listeningSince() != null && listeners.getListenerContainers()
				.stream()
				.allMatch(PresenceHarness::readsEveryPartition));
	}

	private static boolean readsEveryPartition(MessageListenerContainer container) {
		var assigned = container.getAssignedPartitions();
		return assigned != null && assigned.size() == TestKafka.PARTITIONS;
	}

	/**
	 * What {@code @ChatServiceTest} configures, as command-line arguments (they take precedence
	 * over the service's application.yml), for a test that runs the application itself: the
	 * JVM's FerretDB with a database of the test class's own, the embedded Kafka, the token
	 * minter; a grace of 2 s and a node timeout of 3 s, then {@code more}.
	 */
	public static String[] commandLine(Class<?> testClass, String consumerGroup, String... more) {
		TokenMinter minter = TokenMinter.shared();
		List<String> args = new ArrayList<>(List.of(
				"--spring.mongodb.uri=" + TestMongo.shared().uri(TestMongo.databaseFor(testClass)),
				"--spring.kafka.bootstrap-servers=" + TestKafka.shared().bootstrapServers(),
				"--chat.security.issuer-uri=" + minter.issuerUri(), "--chat.security.jwk-set-uri=" + minter.jwkSetUri(),
				"--server.port=0", "--chat.presence.consumer-group=" + consumerGroup,
				"--spring.kafka.consumer.auto-offset-reset=latest", "--chat.presence.grace=2s",
				"--chat.presence.nodes.timeout=3s", "--chat.presence.nodes.check-interval=200ms",
				"--logging.level.org.apache.kafka=warn", "--logging.level.kafka=warn",
				"--logging.level.state.change.logger=warn"));
		args.addAll(List.of(more));
		return args.toArray(String[]::new);
	}

	/**
	 * Runs the application with {@code commandLine} (see {@link #commandLine}). Its Reactor Netty
	 * resources are its own, as in a process of its own: with the global ones, closing one of two
	 * applications in the JVM would stop the other's server too.
	 */
	public static ConfigurableApplicationContext run(String... commandLine) {
		return new SpringApplicationBuilder(PresenceServiceApplication.class)
			.initializers(context -> context.getBeanFactory().addBeanPostProcessor(new BeanPostProcessor() {
				@Override
				public Object postProcessBeforeInitialization(Object bean, String name) {
					if (bean instanceof ReactorResourceFactory resources) {
						resources.setUseGlobalResources(false);
					}
					return bean;
				}
			}))
			.run(commandLine);
	}

	/**
	 * The usernames that {@code GET /api/rooms/{roomId}/presence} of the running application
	 * lists, asked as {@code asUsername} (a member).
	 */
	public static List<String> onlineUsernames(ConfigurableApplicationContext context, String roomId,
			String asUsername) {
		String body = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port"))
			.build()
			.get()
			.uri("/api/rooms/{roomId}/presence", roomId)
			.headers(headers -> headers.setBearerAuth(TokenMinter.shared().token(asUsername, "user")))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		List<String> usernames = new ArrayList<>();
		JSON.readTree(body).path("users").forEach(user -> usernames.add(user.path("username").asString()));
		return usernames;
	}

	/** Drops the test class's database where it outlives the JVM (an external MongoDB). */
	public static void dropDatabase(Class<?> testClass) {
		if (TestMongo.shared().kind() == TestMongo.Kind.EXTERNAL) {
			TestMongo.shared().drop(TestMongo.databaseFor(testClass));
		}
	}

	public static String bootstrapServers(ApplicationContext context) {
		return context.getEnvironment().getRequiredProperty("spring.kafka.bootstrap-servers");
	}

	/** Publishes room events on {@code chat.rooms}, as room-service does, and waits for Kafka. */
	public static void publish(String bootstrapServers, RoomEvent... events) {
		try (KafkaProducer<String, String> producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.ACKS_CONFIG, "all"),
				new StringSerializer(), new StringSerializer())) {
			for (RoomEvent event : events) {
				producer.send(new ProducerRecord<>(Topics.ROOMS, event.roomId(),
						JSON.writerFor(RoomEvent.class).writeValueAsString(event))).get(10, TimeUnit.SECONDS);
			}
		}
		catch (Exception ex) {
			throw new IllegalStateException("room events not published", ex);
		}
	}

	/** A fresh id with a readable prefix: tests share the broker, never their ids. */
	public static String id(String prefix) {
		return prefix + "-" + UUID.randomUUID().toString().substring(0, 13);
	}

	private PresenceHarness() {
	}

}
