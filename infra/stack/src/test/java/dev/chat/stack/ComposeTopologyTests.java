package dev.chat.stack;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.chat.common.kafka.Topics;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The compose topology ({@code docker-compose.yml}) and the local launcher ({@link Stack}) run the
 * same system: the same service modules, on the same ports, with the same topics and partitions,
 * the same realm, and an instance id of its own for every replica. No Docker engine is needed: the
 * file is read as YAML (anchors and merge keys resolved, {@code ${VAR:-default}} taken at its
 * default), the launcher is constructed but never started.
 */
class ComposeTopologyTests {

	private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::?([-?])([^}]*))?}");

	private static final Pattern UPSTREAM_SERVER = Pattern.compile("(?m)^\\s*server\\s+([a-z0-9-]+):(\\d+)\\b");

	private static Path root;

	private static StackConfig launcherConfig;

	/** The launcher's Spring Boot processes: name to (module, port). */
	private static Map<String, SpringService> launcherServices;

	/** Every compose service, interpolated. */
	private static Map<String, Map<String, Object>> compose;

	@BeforeAll
	static void load() throws IOException {
		root = StackConfig.findRoot();
		launcherConfig = StackConfig.local(root, Map.of());
		Stack stack = new Stack(launcherConfig, new PrintStream(OutputStream.nullOutputStream()));
		launcherServices = new LinkedHashMap<>();
		for (Component component : stack.components()) {
			if (component instanceof SpringService service) {
				launcherServices.put(service.name(), service);
			}
		}
		Map<String, Object> file = yaml(root.resolve("docker-compose.yml"));
		compose = new TreeMap<>();
		map(file.get("services"), "services").forEach((name, service) -> compose.put(name, map(service, name)));
	}

	@Test
	void everyServiceModuleOfTheLauncherIsBuiltInComposeAndNothingElse() {
		Set<String> launcherModules = launcherServices.values()
			.stream()
			.map(ComposeTopologyTests::module)
			.collect(Collectors.toCollection(TreeSet::new));
		Set<String> composeModules = new TreeSet<>(builtServices().values());
		assertThat(composeModules)
			.as("MODULE build args in docker-compose.yml vs the modules the launcher (Stack) starts")
			.containsExactlyInAnyOrderElementsOf(launcherModules);
	}

	@Test
	void everyReplicaListensOnItsModulesLauncherPortAndServerPort() throws IOException {
		Map<String, Integer> launcherPorts = launcherPortByModule();
		List<String> differences = new ArrayList<>();
		for (Map.Entry<String, String> built : builtServices().entrySet()) {
			String service = built.getKey();
			String module = built.getValue();
			Integer serverPort = serverPort(module);
			String composePort = String.valueOf(environment(service).get("SERVER_PORT"));
			if (!String.valueOf(launcherPorts.get(module)).equals(composePort)) {
				differences.add(service + ": SERVER_PORT " + composePort + ", the launcher runs " + module + " on "
						+ launcherPorts.get(module));
			}
			if (!String.valueOf(serverPort).equals(composePort)) {
				differences.add(service + ": SERVER_PORT " + composePort + ", " + module
						+ "/src/main/resources/application.yml has server.port " + serverPort);
			}
			List<String> expose = strings(compose.get(service).get("expose"));
			if (!expose.equals(List.of(composePort))) {
				differences.add(service + ": expose " + expose + " is not [" + composePort + "]");
			}
		}
		assertThat(differences).as("ports of docker-compose.yml vs the launcher (StackConfig.Ports.DEFAULT)").isEmpty();
	}

	@Test
	void keycloakListensOnTheLauncherPortAndIssuesTheIssuerTheServicesExpect() {
		List<String> command = strings(compose.get("keycloak").get("command"));
		assertThat(command).as("keycloak command in docker-compose.yml (launcher port %d)",
				StackConfig.Ports.DEFAULT.keycloak())
			.contains("--http-port=" + StackConfig.Ports.DEFAULT.keycloak());
		assertThat(command).as("keycloak --hostname in docker-compose.yml: tokens' issuer")
			.contains("--hostname=" + launcherConfig.issuerUri().replaceFirst("/realms/chat$", ""));
		assertThat(strings(compose.get("keycloak").get("ports")))
			.as("keycloak published port in docker-compose.yml")
			.allMatch(port -> port.endsWith(":" + StackConfig.Ports.DEFAULT.keycloak()));
		assertThat(String.valueOf(compose.get("keycloak").get("image")))
			.as("Keycloak image of docker-compose.yml vs the launcher's Keycloak distribution")
			.isEqualTo("quay.io/keycloak/keycloak:" + Keycloak.VERSION);
		for (String service : builtServices().keySet()) {
			assertThat(String.valueOf(environment(service).get("CHAT_SECURITY_ISSUER_URI")))
				.as("%s: CHAT_SECURITY_ISSUER_URI vs the launcher's issuer", service)
				.isEqualTo(launcherConfig.issuerUri());
		}
	}

	@Test
	void keycloakImportsTheLaunchersRealmFile() {
		Path realm = root.resolve("infra/keycloak/chat-realm.json");
		assertThat(realm).as("the realm file the launcher imports (Keycloak.prepare)").isRegularFile();
		List<String> mounts = strings(compose.get("keycloak").get("volumes"));
		assertThat(mounts).as("keycloak volumes in docker-compose.yml: the launcher's realm file into the import directory")
			.contains("./infra/keycloak/chat-realm.json:/opt/keycloak/data/import/chat-realm.json:ro");
		assertThat(strings(compose.get("keycloak").get("command"))).as("keycloak command in docker-compose.yml")
			.contains("--import-realm");
	}

	@Test
	void topicCreationCreatesTheLaunchersTopicsWithItsPartitions() {
		Map<String, Object> env = environment("kafka-topics");
		Set<String> expected = new TreeSet<>();
		for (String topic : Topics.ALL) {
			expected.add(topic);
			expected.add(Topics.deadLetter(topic));
		}
		Set<String> created = new TreeSet<>(List.of(String.valueOf(env.get("CHAT_TOPICS")).trim().split("\\s+")));
		assertThat(created).as("CHAT_TOPICS of kafka-topics in docker-compose.yml vs Topics.ALL and their dead-letter topics")
			.containsExactlyInAnyOrderElementsOf(expected);
		assertThat(String.valueOf(env.get("CHAT_PARTITIONS")))
			.as("CHAT_PARTITIONS of kafka-topics in docker-compose.yml vs the launcher's default partitions")
			.isEqualTo(String.valueOf(launcherConfig.partitions()));
		assertThat(String.valueOf(env.get("CHAT_REPLICATION_FACTOR"))).as("replication factor of the topics").isEqualTo("3");
		for (String broker : List.of("kafka-1", "kafka-2", "kafka-3")) {
			Map<String, Object> brokerEnv = environment(broker);
			assertThat(String.valueOf(brokerEnv.get("KAFKA_NUM_PARTITIONS")))
				.as("%s: KAFKA_NUM_PARTITIONS vs the launcher's default partitions", broker)
				.isEqualTo(String.valueOf(launcherConfig.partitions()));
			assertThat(String.valueOf(brokerEnv.get("KAFKA_AUTO_CREATE_TOPICS_ENABLE")))
				.as("%s: KAFKA_AUTO_CREATE_TOPICS_ENABLE", broker)
				.isEqualTo("false");
		}
	}

	@Test
	void everyReplicaHasAnInstanceIdOfItsOwnAndEveryGatewayANodeIdOfItsOwn() {
		Map<String, List<String>> byInstanceId = new TreeMap<>();
		Map<String, List<String>> byNodeId = new TreeMap<>();
		List<String> missing = new ArrayList<>();
		builtServices().forEach((service, module) -> {
			Object instanceId = environment(service).get("CHAT_INSTANCE_ID");
			if (instanceId == null) {
				missing.add(service + " has no CHAT_INSTANCE_ID");
			}
			else {
				byInstanceId.computeIfAbsent(String.valueOf(instanceId), id -> new ArrayList<>()).add(service);
			}
			if (module.equals("gateway-service")) {
				Object nodeId = environment(service).get("CHAT_GATEWAY_NODE_ID");
				if (nodeId == null) {
					missing.add(service + " has no CHAT_GATEWAY_NODE_ID");
				}
				else {
					byNodeId.computeIfAbsent(String.valueOf(nodeId), id -> new ArrayList<>()).add(service);
				}
			}
		});
		assertThat(missing).as("replicas in docker-compose.yml without their id").isEmpty();
		assertThat(shared(byInstanceId)).as("CHAT_INSTANCE_ID shared by several services of docker-compose.yml").isEmpty();
		assertThat(shared(byNodeId)).as("CHAT_GATEWAY_NODE_ID shared by several gateways of docker-compose.yml").isEmpty();
		Map<String, Long> replicas = builtServices().values()
			.stream()
			.collect(Collectors.groupingBy(module -> module, TreeMap::new, Collectors.counting()));
		assertThat(replicas).as("replicas per module in docker-compose.yml")
			.containsEntry("gateway-service", 3L)
			.allSatisfy((module, count) -> assertThat(count).as("replicas of %s", module).isGreaterThanOrEqualTo(2));
	}

	@Test
	void everyReplicaUsesItsModulesDatabaseOnTheReplicaSet() throws IOException {
		List<String> differences = new ArrayList<>();
		for (Map.Entry<String, String> built : builtServices().entrySet()) {
			String uri = String.valueOf(environment(built.getKey()).get("SPRING_MONGODB_URI"));
			String database = database(String.valueOf(
					path(yaml(applicationYml(built.getValue())), "spring", "mongodb", "uri")));
			if (!database.equals(database(uri))) {
				differences.add(built.getKey() + ": database " + database(uri) + ", " + built.getValue() + " uses "
						+ database);
			}
			if (!uri.contains("replicaSet=rs0")) {
				differences.add(built.getKey() + ": " + uri.replaceFirst("//[^@]*@", "//") + " lacks replicaSet=rs0");
			}
		}
		assertThat(differences).as("spring.mongodb.uri of docker-compose.yml vs the services' databases").isEmpty();
	}

	@Test
	void theLoadBalancersSendToComposeServicesOnTheirPorts() throws IOException {
		List<String> differences = new ArrayList<>();
		Set<String> balanced = new LinkedHashSet<>();
		for (String conf : List.of("infra/compose/nginx.conf", "infra/compose/services-lb.conf")) {
			Matcher server = UPSTREAM_SERVER.matcher(Files.readString(root.resolve(conf)));
			while (server.find()) {
				String host = server.group(1);
				balanced.add(host);
				if (!compose.containsKey(host)) {
					differences.add(conf + ": upstream " + host + " is no service of docker-compose.yml");
				}
				else if (!server.group(2).equals(String.valueOf(environment(host).get("SERVER_PORT")))) {
					differences.add(conf + ": upstream " + host + ":" + server.group(2) + ", but " + host
							+ " listens on " + environment(host).get("SERVER_PORT"));
				}
			}
		}
		assertThat(differences).as("upstreams of infra/compose/*.conf vs docker-compose.yml").isEmpty();
		assertThat(balanced).as("replicas behind nginx or services-lb").containsExactlyInAnyOrderElementsOf(builtServices().keySet());
		Map<String, Object> gateway = environment("gateway-1");
		Map<String, Integer> ports = launcherPortByModule();
		assertThat(Map.of("auth", gateway.get("CHAT_GATEWAY_SERVICES_AUTH"), "rooms",
				gateway.get("CHAT_GATEWAY_SERVICES_ROOMS"), "messages", gateway.get("CHAT_GATEWAY_SERVICES_MESSAGES"),
				"presence", gateway.get("CHAT_GATEWAY_SERVICES_PRESENCE")))
			.as("chat.gateway.services.* of the gateways in docker-compose.yml (services-lb on each service's port)")
			.isEqualTo(Map.of("auth", "http://services-lb:" + ports.get("auth-service"), "rooms",
					"http://services-lb:" + ports.get("room-service"), "messages",
					"http://services-lb:" + ports.get("message-service"), "presence",
					"http://services-lb:" + ports.get("presence-service")));
	}

	@Test
	@SuppressWarnings("unchecked")
	void prometheusScrapesEveryReplicaOnItsOwnPortAndGrafanaShowsTheDashboard() throws IOException {
		Map<String, String> targets = new TreeMap<>();
		for (Object job : (List<Object>) yaml(root.resolve("infra/monitoring/prometheus/prometheus.yml"))
			.get("scrape_configs")) {
			Map<String, Object> scrape = map(job, "scrape_configs[]");
			if ("prometheus".equals(scrape.get("job_name"))) {
				continue;
			}
			assertThat(scrape.get("metrics_path")).as(scrape.get("job_name") + " metrics_path")
				.isEqualTo("/actuator/prometheus");
			for (Object config : (List<Object>) scrape.get("static_configs")) {
				for (String target : strings(map(config, "static_configs[]").get("targets"))) {
					targets.put(target.substring(0, target.indexOf(':')), target.substring(target.indexOf(':') + 1));
				}
			}
		}
		Map<String, String> replicas = new TreeMap<>();
		builtServices().keySet()
			.forEach(service -> replicas.put(service, String.valueOf(environment(service).get("SERVER_PORT"))));
		assertThat(targets).as("targets of infra/monitoring/prometheus/prometheus.yml vs the replicas of docker-compose.yml")
			.isEqualTo(replicas);
		assertThat(strings(compose.get("grafana").get("volumes")))
			.anyMatch(volume -> volume.startsWith("./infra/monitoring/grafana/chat-dashboard.json:"))
			.anyMatch(volume -> volume.startsWith("./infra/monitoring/grafana/provisioning:"));
		assertThat(String.valueOf(compose.get("prometheus").get("volumes")))
			.contains("./infra/monitoring/prometheus/prometheus.yml:");
		assertThat(compose.get("prometheus")).as("Prometheus is internal only").doesNotContainKey("ports");
	}

	/** Compose services built from a module: service name to MODULE, in name order. */
	private static Map<String, String> builtServices() {
		Map<String, String> built = new TreeMap<>();
		compose.forEach((name, service) -> {
			if (service.get("build") instanceof Map<?, ?> build && build.get("args") instanceof Map<?, ?> args
					&& args.get("MODULE") != null) {
				built.put(name, String.valueOf(args.get("MODULE")));
			}
		});
		return built;
	}

	/** The port of the first process the launcher starts from each module. */
	private static Map<String, Integer> launcherPortByModule() {
		Map<String, Integer> ports = new TreeMap<>();
		launcherServices.values().forEach(service -> ports.putIfAbsent(module(service), service.ports().get(0)));
		return ports;
	}

	private static String module(SpringService service) {
		// builtJar() is <root>/<module>/target/<module>.jar
		return root.relativize(service.builtJar().getParent().getParent()).toString();
	}

	private static Integer serverPort(String module) throws IOException {
		Object port = path(yaml(applicationYml(module)), "server", "port");
		return port == null ? null : Integer.valueOf(String.valueOf(port));
	}

	private static Path applicationYml(String module) {
		return root.resolve(module).resolve("src/main/resources/application.yml");
	}

	private static String database(String mongoUri) {
		String afterHosts = mongoUri.replaceFirst("^mongodb://[^/]*/", "");
		int query = afterHosts.indexOf('?');
		return query < 0 ? afterHosts : afterHosts.substring(0, query);
	}

	private static Map<String, List<String>> shared(Map<String, List<String>> byId) {
		Map<String, List<String>> shared = new TreeMap<>(byId);
		shared.values().removeIf(services -> services.size() < 2);
		return shared;
	}

	private static Map<String, Object> environment(String service) {
		assertThat(compose).as("services of docker-compose.yml").containsKey(service);
		return map(compose.get(service).get("environment"), service + ".environment");
	}

	private static Object path(Map<String, Object> yaml, String... keys) {
		Object node = yaml;
		for (String key : keys) {
			if (!(node instanceof Map<?, ?> map)) {
				return null;
			}
			node = map.get(key);
		}
		return node;
	}

	private static Map<String, Object> yaml(Path file) throws IOException {
		LoaderOptions options = new LoaderOptions();
		options.setMaxAliasesForCollections(500);
		Object document = new Yaml(new SafeConstructor(options)).load(Files.readString(file));
		return map(interpolate(document), file.toString());
	}

	/** Compose's interpolation, with every variable unset: {@code ${X:-d}} is d, others {@code <X>}. */
	private static Object interpolate(Object node) {
		if (node instanceof Map<?, ?> map) {
			Map<String, Object> result = new LinkedHashMap<>();
			map.forEach((key, value) -> result.put(String.valueOf(key), interpolate(value)));
			return result;
		}
		if (node instanceof List<?> list) {
			return list.stream().map(ComposeTopologyTests::interpolate).toList();
		}
		if (node instanceof String text) {
			Matcher variable = VARIABLE.matcher(text.replace("$$", "\u0000"));
			StringBuilder result = new StringBuilder();
			while (variable.find()) {
				String value = "-".equals(variable.group(2)) ? variable.group(3) : "<" + variable.group(1) + ">";
				variable.appendReplacement(result, Matcher.quoteReplacement(value));
			}
			variable.appendTail(result);
			return result.toString().replace('\u0000', '$');
		}
		return node;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Object node, String what) {
		assertThat(node).as("%s is a mapping", what).isInstanceOf(Map.class);
		return (Map<String, Object>) node;
	}

	private static List<String> strings(Object node) {
		if (node == null) {
			return List.of();
		}
		assertThat(node).as("a list in docker-compose.yml").isInstanceOf(List.class);
		return ((List<?>) node).stream().map(String::valueOf).toList();
	}

}
