package dev.chat.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A change to the repository's realm reaches an existing local Keycloak, or {@code ./chat up} says
 * exactly what to do: Keycloak imports a realm only when it has none.
 */
class KeycloakRealmTests {

	@TempDir
	Path state;

	@Test
	void aChangedRealmOfAKeycloakThatHasOneIsNamedWithTheCommandsThatApplyIt() throws Exception {
		Keycloak keycloak = new Keycloak(config());
		byte[] realm = Keycloak.localRealm("{\"realm\":\"chat\",\"accessTokenLifespan\":300}");
		Path imported = state.resolve("imported.json");
		Files.write(imported, Keycloak.localRealm("{\"realm\":\"chat\",\"accessTokenLifespan\":600}"));

		assertThat(keycloak.realmChangeNotice(realm, imported)).as("no database yet: the realm is imported").isNull();

		Path database = config().dataDir().resolve("keycloak-" + Keycloak.VERSION).resolve("data/h2");
		Files.createDirectories(database);
		assertThat(keycloak.realmChangeNotice(realm, imported)).contains("chat-realm.json changed")
			.contains("./chat down && rm -rf " + database + " && ./chat up");

		Files.write(imported, realm);
		assertThat(keycloak.realmChangeNotice(realm, imported)).as("the same realm").isNull();
	}

	@Test
	void aLocalStackHashesPasswordsCheaplyAndKeepsTheRestOfTheRealm() throws Exception {
		String repository = Files.readString(StackConfig.findRoot().resolve("infra/keycloak/chat-realm.json"));
		assertThat(repository).as("the deployed realm keeps Keycloak's default").doesNotContain("passwordPolicy");

		JsonNode local = JsonMapper.builder().build().readTree(Keycloak.localRealm(repository));

		assertThat(local.get("passwordPolicy").asString()).isEqualTo("hashIterations(1000)");
		assertThat(local.get("realm").asString()).isEqualTo("chat");
		assertThat(local.get("clients").size()).isEqualTo(JsonMapper.builder().build().readTree(repository).get("clients").size());
	}

	private StackConfig config() {
		StackConfig tests = StackConfig.forTests(StackConfig.findRoot());
		return new StackConfig(tests.root(), state, tests.cacheDir(), tests.ports(), 6, Duration.ofSeconds(30),
				StackConfig.Topology.DEFAULT);
	}

}
