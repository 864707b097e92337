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
 * the Kafka jars on this module's classpath; one of one or of three ({@link
 * StackConfig.Topology#brokers}), every one a voter of the controller quorum. Ready once it
 * answers an admin request as part of a cluster of every broker and every topic of {@link
 * Topics#ALL}, with its dead-letter topic, exists with the topology's replication factor.
 *
 * <p>
 * The brokers of a cluster are started together ({@link #startsWithNext}): a controller quorum
 * of three elects a leader only once two of its voters run.
 */
final class KafkaBroker extends Component {

	private final int node;

	KafkaBroker(StackConfig config, int node) {
		super(config, node == 1 ? "kafka" : "kafka-" + node);
		this.node = node;
	}

	@Override
	public List<Integer> ports() {
		return List.of(config.ports().kafkaBroker(node), config.ports().kafkaBrokerController(node));
	}

	@Override
	public boolean startsWithNext() {
		return node < config.topology().brokers();
	}

	@Override
	public String endpoint() {
		return String.format("%-18s 127.0.0.1:%d", name(), config.ports().kafkaBroker(node));
	}

	private Path dir() {
		return config.dataDir().resolve(name());
	}

	private String voters() {
		StringBuilder voters = new StringBuilder();
		for (int n = 1; n <= config.topology().brokers(); n++) {
			voters.append(n == 1 ? "" : ",").append(n).append("@127.0.0.1:").append(config.ports().kafkaBrokerController(n));
		}
		return voters.toString();
	}

	/**
	 * One cluster id for every broker of a stack (they must share it), derived from the state
	 * directory so that each broker formats its storage on its own.
	 */
	String clusterId() {
		return clusterId(config.stateDir());
	}

	/**
	 * The top bit of the id is cleared: an id whose base64 form starts with '-' is taken by the
	 * storage tool for an option (Kafka's own random ids avoid those too).
	 */
	static String clusterId(Path stateDir) {
		java.util.UUID uuid = java.util.UUID.nameUUIDFromBytes(stateDir.toAbsolutePath().toString().getBytes());
		return new Uuid(uuid.getMostSignificantBits() & Long.MAX_VALUE, uuid.getLeastSignificantBits()).toString();
	}

	private Path serverProperties() {
		return dir().resolve("server.properties");
	}

	@Override
	protected void prepare() throws IOException, InterruptedException {
		Files.createDirectories(dir().resolve("logs"));
		int port = config.ports().kafkaBroker(node);
		int controller = config.ports().kafkaBrokerController(node);
		short replicas = config.topology().replicationFactor();
		int minInSync = config.topology().minInSyncReplicas();
		Files.writeString(serverProperties(), """
				process.roles=broker,controller
				node.id=%d
				controller.quorum.voters=%s
				listeners=PLAINTEXT://127.0.0.1:%d,CONTROLLER://127.0.0.1:%d
				advertised.listeners=PLAINTEXT://127.0.0.1:%d
				controller.listener.names=CONTROLLER
				inter.broker.listener.name=PLAINTEXT
				listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
				log.dirs=%s
				num.partitions=%d
				auto.create.topics.enable=false
				default.replication.factor=%d
				min.insync.replicas=%d
				offsets.topic.replication.factor=%d
				transaction.state.log.replication.factor=%d
				transaction.state.log.min.isr=%d
				share.coordinator.state.topic.replication.factor=%d
				share.coordinator.state.topic.min.isr=%d
				group.initial.rebalance.delay.ms=0
				unclean.leader.election.enable=false
				""".formatted(node, voters(), port, controller, port, dir().resolve("logs"), config.partitions(), replicas,
				minInSync, replicas, replicas, minInSync, replicas, minInSync));
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
				clusterId(), "-c", serverProperties().toString()));
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
		Map<String, Object> props = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
				"127.0.0.1:" + config.ports().kafkaBroker(node),
				AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
				3000);
		try (Admin admin = Admin.create(props)) {
			if (admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).size() < config.topology().brokers()) {
				return false;
			}
			Set<String> existing = admin.listTopics().names().get(3, TimeUnit.SECONDS);
			List<NewTopic> missing = new ArrayList<>();
			for (String topic : Topics.ALL) {
				for (String name : List.of(topic, Topics.deadLetter(topic))) {
					if (!existing.contains(name)) {
						missing.add(new NewTopic(name, config.partitions(), config.topology().replicationFactor()));
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
