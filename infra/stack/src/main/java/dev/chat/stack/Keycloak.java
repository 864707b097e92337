package dev.chat.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The real Keycloak server, from the {@code keycloak-quarkus-dist} zip on Maven Central (the
 * build unpacks it into the cache), with the {@code chat} realm imported from
 * {@code infra/keycloak/} (passwords hashed more cheaply: {@link #localRealm}).
 *
 * <p>
 * Each stack runs its own copy of the distribution: Keycloak writes its build state and its
 * H2 database inside its home, and two stacks must not share either. The hostname is pinned so
 * that tokens carry the same issuer however a client reaches the server.
 */
final class Keycloak extends Component {

	static final String VERSION = versions().getProperty("keycloak.version");

	static final int LOCAL_HASH_ITERATIONS = 1000;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	Keycloak(StackConfig config) {
		super(config, "keycloak");
	}

	@Override
	public List<Integer> ports() {
		return List.of(config.ports().keycloak(), config.ports().keycloakManagement());
	}

	@Override
	public String endpoint() {
		return "keycloak           http://localhost:" + config.ports().keycloak() + " (realm chat; console admin/admin)";
	}

	private Path home() {
		return config.dataDir().resolve("keycloak-" + VERSION);
	}

	@Override
	protected void prepare() throws IOException, InterruptedException {
		if (!Files.isRegularFile(home().resolve("bin/kc.sh"))) {
			Path dist = config.cacheDir().resolve("keycloak-dist/keycloak-" + VERSION);
			if (!Files.isRegularFile(dist.resolve("bin/kc.sh"))) {
				throw new IOException("Keycloak " + VERSION + " is not unpacked at " + dist
						+ "; build the project first (./mvnw -DskipTests install)");
			}
			Files.createDirectories(home().getParent());
			Process copy = new ProcessBuilder("cp", "-r", dist.toString(), home().toString()).inheritIO().start();
			if (!copy.waitFor(2, TimeUnit.MINUTES) || copy.exitValue() != 0) {
				throw new IOException("copying Keycloak to " + home() + " failed");
			}
		}
		Path imports = home().resolve("data/import");
		Files.createDirectories(imports);
		byte[] realm = localRealm(Files.readString(config.root().resolve("infra/keycloak/chat-realm.json")));
		Path imported = imports.resolve("chat-realm.json");
		String notice = realmChangeNotice(realm, imported);
		if (notice != null) {
			System.out.print(notice);
			return;
		}
		Files.write(imported, realm);
	}

	/**
	 * The repository's realm as a local stack imports it: with passwords hashed at
	 * {@value #LOCAL_HASH_ITERATIONS} PBKDF2 iterations instead of Keycloak's 210,000. A local
	 * stack holds demo and test users on loopback only, and at the default every registration and
	 * every login costs Keycloak 0.2 to 0.5 s of CPU on a two-core machine: the end-to-end tests
	 * register and sign in hundreds of users. The compose deployment imports the realm as it is.
	 */
	static byte[] localRealm(String realm) {
		ObjectNode document = (ObjectNode) JSON.readTree(realm);
		document.put("passwordPolicy", "hashIterations(" + LOCAL_HASH_ITERATIONS + ")");
		return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(document);
	}

	/**
	 * What to do when the repository's realm differs from the one this Keycloak imported: Keycloak
	 * imports a realm only when it has none, so the change would go unnoticed. Null when there is
	 * nothing to say (no realm imported yet, or the same one).
	 */
	String realmChangeNotice(byte[] realm, Path imported) throws IOException {
		if (!Files.isDirectory(home().resolve("data/h2")) || !Files.isRegularFile(imported)
				|| Arrays.equals(realm, Files.readAllBytes(imported))) {
			return null;
		}
		return """
				  keycloak: infra/keycloak/chat-realm.json changed since this Keycloak imported the realm, and
				            Keycloak does not import a realm it has: the change is not applied. To apply it (the
				            realm's users and sessions go; the demo users come back):
				              ./chat down && rm -rf %s && ./chat up
				""".formatted(home().resolve("data/h2"));
	}

	@Override
	protected List<String> command() {
		return List.of(home().resolve("bin/kc.sh").toString(), "start-dev", "--import-realm",
				"--http-host=127.0.0.1", "--http-port=" + config.ports().keycloak(),
				"--http-management-port=" + config.ports().keycloakManagement(),
				"--hostname=http://localhost:" + config.ports().keycloak(), "--log-level=warn,org.keycloak.services:info");
	}

	@Override
	protected Map<String, String> environment() {
		return Map.of("JAVA_HOME", System.getProperty("java.home"), "JAVA_OPTS_KC_HEAP", "-Xms128m -Xmx768m",
				"KC_BOOTSTRAP_ADMIN_USERNAME", "admin", "KC_BOOTSTRAP_ADMIN_PASSWORD", "admin");
	}

	@Override
	public boolean isReady() {
		return Http.answers200(config.issuerUri() + "/.well-known/openid-configuration", "\"issuer\"");
	}

	private static Properties versions() {
		try (InputStream in = Keycloak.class.getResourceAsStream("versions.properties")) {
			Properties props = new Properties();
			props.load(in);
			return props;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
