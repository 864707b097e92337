package dev.chat.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.chat.common.kafka.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

/**
 * A real Kafka broker in KRaft combined mode (broker and controller in one process), run from
 * the Kafka jars on this module's classpath. Ready once it answers an admin request and every
 * topic of {@link Topics#ALL}, with its dead-letter topic, exists.
 */
final class KafkaBroker extends Component {

	KafkaBroker(StackConfig config) {
		super(config, "kafka");
	}

	@Override
	public List<Integer> ports() {
		return List.of(config.ports().kafka(), config.ports().kafkaController());
	}

	@Override
	public String endpoint() {
		return "kafka            " + config.kafkaBootstrap();
	}

	private Path dir() {
		return config.dataDir().resolve("kafka");
	}

	private Path serverProperties() {
		return dir().resolve("server.properties");
	}

	@Override
	protected void prepare() throws IOException, InterruptedException {
		Files.createDirectories(dir().resolve("logs"));
		int port = config.ports().kafka();
		int controller = config.ports().kafkaController();
		Files.writeString(serverProperties(), """
				process.roles=broker,controller
				node.id=1
				controller.quorum.voters=1@127.0.0.1:%d
				listeners=PLAINTEXT://127.0.0.1:%d,CONTROLLER://127.0.0.1:%d
				advertised.listeners=PLAINTEXT://127.0.0.1:%d
				controller.listener.names=CONTROLLER
				inter.broker.listener.name=PLAINTEXT
				listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
				log.dirs=%s
				num.partitions=%d
				auto.create.topics.enable=false
				offsets.topic.replication.factor=1
				transaction.state.log.replication.factor=1
				transaction.state.log.min.isr=1
				share.coordinator.state.topic.replication.factor=1
				share.coordinator.state.topic.min.isr=1
				group.initial.rebalance.delay.ms=0
				""".formatted(controller, port, controller, port, dir().resolve("logs"), config.partitions()));
		Files.writeString(dir().resolve("log4j2.properties"), """
				status = warn
				appender.out.type = Console
				appender.out.name = out
				appender.out.layout.type = PatternLayout
				appender.out.layout.pattern = %d{ISO8601} %-5p [%c{1}] %m%n
				rootLogger.level = info
				rootLogger.appenderRef.out.ref = out
				logger.kafka.name = kafka
				logger.kafka.level = warn
				logger.apache.name = org.apache.kafka
				logger.apache.level = warn
				logger.started.name = kafka.server.KafkaRaftServer
				logger.started.level = info
				""");
		if (!Files.exists(dir().resolve("logs/meta.properties"))) {
			format();
		}
	}

	private void format() throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(jvm());
		command.addAll(List.of("kafka.tools.StorageTool", "format", "--ignore-formatted", "-t",
				Uuid.randomUuid().toString(), "-c", serverProperties().toString()));
		Process format = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
			.start();
		if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
			format.destroyForcibly();
			throw new IOException("formatting Kafka's storage failed; see " + logFile());
		}
	}

	@Override
	protected List<String> command() {
		List<String> command = new ArrayList<>(jvm());
		command.addAll(List.of("kafka.Kafka", serverProperties().toString()));
		return command;
	}

	private List<String> jvm() {
		return List.of(java(), "-Xms256m", "-Xmx768m", "-XX:+UseG1GC", "-Djava.awt.headless=true",
				"-Dlog4j2.configurationFile=" + dir().resolve("log4j2.properties"),
				"-Dkafka.logs.dir=" + config.logDir(), "-cp", launcherClasspath());
	}

	@Override
	public boolean isReady() {
		Map<String, Object> props = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap(),
				AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
				3000);
		try (Admin admin = Admin.create(props)) {
			Set<String> existing = admin.listTopics().names().get(3, TimeUnit.SECONDS);
			List<NewTopic> missing = new ArrayList<>();
			for (String topic : Topics.ALL) {
				for (String name : List.of(topic, Topics.deadLetter(topic))) {
					if (!existing.contains(name)) {
						missing.add(new NewTopic(name, config.partitions(), (short) 1));
					}
				}
			}
			if (!missing.isEmpty()) {
				admin.createTopics(missing).all().get(10, TimeUnit.SECONDS);
			}
			return true;
		}
		catch (Exception notYet) {
			return false;
		}
	}

}
