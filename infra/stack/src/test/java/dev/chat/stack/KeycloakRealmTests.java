package dev.chat.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
		Path realm = state.resolve("chat-realm.json");
		Path imported = state.resolve("imported.json");
		Files.writeString(realm, "{\"realm\":\"chat\",\"accessTokenLifespan\":300}");
		Files.writeString(imported, "{\"realm\":\"chat\",\"accessTokenLifespan\":600}");

		assertThat(keycloak.realmChangeNotice(realm, imported)).as("no database yet: the realm is imported").isNull();

		Path database = config().dataDir().resolve("keycloak-" + Keycloak.VERSION).resolve("data/h2");
		Files.createDirectories(database);
		assertThat(keycloak.realmChangeNotice(realm, imported)).contains("chat-realm.json changed")
			.contains("./chat down && rm -rf " + database + " && ./chat up");

		Files.copy(realm, imported, StandardCopyOption.REPLACE_EXISTING);
		assertThat(keycloak.realmChangeNotice(realm, imported)).as("the same realm").isNull();
	}

	private StackConfig config() {
		StackConfig tests = StackConfig.forTests(StackConfig.findRoot());
		return new StackConfig(tests.root(), state, tests.cacheDir(), tests.ports(), 6, Duration.ofSeconds(30),
				StackConfig.Topology.DEFAULT);
	}

}
