package dev.chat.e2e.identity;

import java.net.http.HttpResponse;
import java.util.Date;
import java.util.UUID;
import java.util.stream.Stream;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import dev.chat.e2e.support.TestStackExtension;
import dev.chat.stack.Stack;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Registration through the gateway: conflicts, refusals that leave nothing behind in Keycloak or
 * FerretDB, and recovery from a profile an earlier failure left behind.
 */
@ExtendWith(TestStackExtension.class)
class RegistrationIntegrationTests {

	private static final String PASSWORD = "a-good-password";

	@Test
	void aTakenUsernameIsAConflictWhateverItsCase(Stack stack) {
		AuthApi api = new AuthApi(stack);
		String username = AuthApi.uniqueUsername("taken");
		api.registered(username, PASSWORD);

		for (String again : new String[] { username, username.toUpperCase() }) {
			HttpResponse<String> response = api.register(again, "another-password", null, null);

			assertThat(response.statusCode()).as(response.body()).isEqualTo(409);
			assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
			JsonNode problem = AuthApi.json(response);
			assertThat(problem.path("type").asString()).isEqualTo("urn:chat:problem:conflict");
			assertThat(problem.path("errors").get(0).path("field").asString()).isEqualTo("username");
		}
		assertThat(api.token(username, PASSWORD).statusCode()).as("the first user keeps the name").isEqualTo(200);
		assertThat(api.token(username, "another-password").statusCode()).isEqualTo(401);
	}

	static Stream<Arguments> invalidRegistrations() {
		return Stream.of(Arguments.of("password too short", "{\"username\":\"%s\",\"password\":\"short\"}", "password"),
				Arguments.of("password too long",
						"{\"username\":\"%s\",\"password\":\"" + "p".repeat(129) + "\"}", "password"),
				Arguments.of("password missing", "{\"username\":\"%s\"}", "password"),
				Arguments.of("email malformed", "{\"username\":\"%s\",\"password\":\"" + PASSWORD
						+ "\",\"email\":\"not-an-email\"}", "email"),
				Arguments.of("display name too long", "{\"username\":\"%s\",\"password\":\"" + PASSWORD
						+ "\",\"displayName\":\"" + "d".repeat(65) + "\"}", "displayName"),
				Arguments.of("display name with a control character", "{\"username\":\"%s\",\"password\":\"" + PASSWORD
						+ "\",\"displayName\":\"bell\\u0007\"}", "displayName"),
				Arguments.of("display name with a line break", "{\"username\":\"%s\",\"password\":\"" + PASSWORD
						+ "\",\"displayName\":\"two\\nlines\"}", "displayName"),
				Arguments.of("password of the wrong type", "{\"username\":\"%s\",\"password\":[\"" + PASSWORD + "\"]}",
						"password"),
				Arguments.of("malformed JSON", "{\"username\":\"%s\",\"password\":\"" + PASSWORD + "\"", null));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("invalidRegistrations")
	void anInvalidRegistrationIsA400AndCreatesNothing(String variant, String template, String field, Stack stack) {
		AuthApi api = new AuthApi(stack);
		String username = AuthApi.uniqueUsername("bad");

		HttpResponse<String> response = api.registerRaw(template.formatted(username));

		assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		JsonNode problem = AuthApi.json(response);
		assertThat(problem.path("type").asString()).isEqualTo("urn:chat:problem:validation");
		if (field != null) {
			assertThat(problem.path("errors").findValuesAsString("field")).contains(field);
		}
		assertNothingCreated(stack, username);
	}

	@ParameterizedTest(name = "username \"{0}\"")
	@MethodSource("invalidUsernames")
	void anInvalidUsernameIsNamedAndNothingIsCreated(String username, Stack stack) {
		AuthApi api = new AuthApi(stack);

		HttpResponse<String> response = api.register(username, PASSWORD, null, null);

		assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
		assertThat(AuthApi.json(response).path("errors").findValuesAsString("field")).containsExactly("username");
		if (!username.isBlank()) {
			assertNothingCreated(stack, username.toLowerCase());
		}
	}

	static Stream<String> invalidUsernames() {
		return Stream.of("", "ab", "x".repeat(33), "with space", "semi;colon", "ümlaut", "tab\tname");
	}

	@Test
	void aProfileLeftBehindByAnEarlierFailureDoesNotBlockTheUsername(Stack stack) {
		AuthApi api = new AuthApi(stack);
		String username = AuthApi.uniqueUsername("stale");
		String staleId = UUID.randomUUID().toString();
		try (UserStore store = new UserStore(stack)) {
			// What a registration leaves when it fails after storing the profile and then cannot
			// remove it: a profile whose Keycloak user no longer exists.
			store.insert(new Document("_id", staleId).append("username", username)
				.append("displayName", username)
				.append("createdAt", new Date()));

			JsonNode user = api.registered(username, PASSWORD);

			assertThat(user.path("id").asString()).isNotEqualTo(staleId);
			assertThat(store.findById(staleId)).isNull();
			assertThat(store.findById(user.path("id").asString())).isNotNull();
			assertThat(store.countByUsername(username)).isEqualTo(1);
		}
		assertThat(api.token(username, PASSWORD).statusCode()).isEqualTo(200);
	}

	private static void assertNothingCreated(Stack stack, String username) {
		AuthApi api = new AuthApi(stack);
		assertThat(api.token(username, PASSWORD).statusCode()).as("login as " + username).isEqualTo(401);
		assertThat(new KeycloakUsers(stack).exists(username)).as(username + " in Keycloak").isFalse();
		try (UserStore store = new UserStore(stack)) {
			assertThat(store.countByUsername(username)).as(username + " in chat_auth.users").isZero();
		}
	}

}
