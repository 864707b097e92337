package dev.chat.e2e.identity;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import dev.chat.e2e.support.TestStackExtension;
import dev.chat.stack.Stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The token facade's refusals through the gateway, with Keycloak's real brute-force detection.
 * Every test that fails logins uses a user of its own: the realm locks an account for a minute
 * after two failures within a second, and the demo users must stay usable.
 */
@ExtendWith(TestStackExtension.class)
class SessionIntegrationTests {

	@Test
	void aWrongPasswordAndAnUnknownUserGetTheSameAnswer(Stack stack) {
		AuthApi api = new AuthApi(stack);
		String username = AuthApi.uniqueUsername("known");
		api.registered(username, "the-right-password");

		HttpResponse<String> wrongPassword = api.token(username, "a-wrong-password");
		HttpResponse<String> unknownUser = api.token(AuthApi.uniqueUsername("unknown"), "a-wrong-password");

		assertThat(wrongPassword.statusCode()).isEqualTo(401);
		assertThat(unknownUser.statusCode()).isEqualTo(401);
		assertThat(AuthApi.problemWithoutTraceId(wrongPassword)).isEqualTo(AuthApi.problemWithoutTraceId(unknownUser));
		assertThat(wrongPassword.headers().firstValue("Content-Type")).hasValue("application/problem+json")
			.isEqualTo(unknownUser.headers().firstValue("Content-Type"));
		assertThat(wrongPassword.headers().firstValue("WWW-Authenticate"))
			.isEqualTo(unknownUser.headers().firstValue("WWW-Authenticate"));
		assertThat(wrongPassword.headers().firstValue("Retry-After")).isEmpty();
		assertThat(AuthApi.json(wrongPassword).path("type").asString()).isEqualTo("urn:chat:problem:unauthorized");
	}

	@Test
	void aLockedAccountAnswersExactlyAsAnUnknownOne(Stack stack) {
		AuthApi api = new AuthApi(stack);
		String username = AuthApi.uniqueUsername("locked");
		api.registered(username, "the-right-password");

		for (int attempt = 1; attempt <= 5; attempt++) {
			assertThat(api.token(username, "wrong-password-" + attempt).statusCode()).isEqualTo(401);
		}
		// Brute-force detection has locked it: even the right password is refused, in the words
		// an unknown username gets, so a guesser cannot tell the lock from a missing account.
		HttpResponse<String> locked = api.token(username, "the-right-password");
		HttpResponse<String> unknown = api.token(AuthApi.uniqueUsername("nobody"), "the-right-password");

		assertThat(locked.statusCode()).as(locked.body()).isEqualTo(401);
		assertThat(AuthApi.problemWithoutTraceId(locked)).isEqualTo(AuthApi.problemWithoutTraceId(unknown));
		assertThat(locked.headers().firstValue("WWW-Authenticate"))
			.isEqualTo(unknown.headers().firstValue("WWW-Authenticate"));
		assertThat(locked.headers().firstValue("Retry-After")).isEmpty();
		assertThat(unknown.headers().firstValue("Retry-After")).isEmpty();
	}

	@Test
	void anInvalidRefreshTokenIs401(Stack stack) {
		AuthApi api = new AuthApi(stack);

		// 4,000 characters is the longest a request may carry; Keycloak drops longer form values.
		for (String token : new String[] { "not-a-token", "a.b.c", "0".repeat(4000), forgedRefreshToken(stack) }) {
			HttpResponse<String> response = api.refresh(token);
			assertThat(response.statusCode()).as(token).isEqualTo(401);
			assertThat(AuthApi.json(response).path("type").asString()).isEqualTo("urn:chat:problem:unauthorized");
		}
	}

	@Test
	void logoutWithAForgedRefreshTokenIs401AndEndsNoSession(Stack stack) {
		AuthApi api = new AuthApi(stack);
		String username = AuthApi.uniqueUsername("victim");
		api.registered(username, "victim-password");
		JsonNode victim = api.tokens(username, "victim-password");
		String genuine = victim.path("refresh_token").asString();
		String[] parts = genuine.split("\\.");
		String forged = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();

		assertThat(api.logout(forged).statusCode()).isEqualTo(401);
		assertThat(api.refresh(genuine).statusCode()).as("the victim's session is intact").isEqualTo(200);
	}

	@ParameterizedTest
	@ValueSource(ints = { 0, 4001, 8192 })
	void aMissingOrOverlongRefreshTokenIsAValidationProblem(int length, Stack stack) {
		AuthApi api = new AuthApi(stack);
		String token = "0".repeat(length);
		for (HttpResponse<String> response : List.of(api.refresh(token), api.logout(token))) {
			assertThat(response.statusCode()).isEqualTo(400);
			assertThat(AuthApi.json(response).path("errors").findValuesAsString("field")).containsExactly("refresh_token");
		}
	}

	@Test
	void accessTokensFromTheFacadeAreAcceptedByEveryNode(Stack stack) {
		AuthApi api = new AuthApi(stack);
		String username = AuthApi.uniqueUsername("nodes");
		api.registered(username, "nodes-password");
		String accessToken = api.tokens(username, "nodes-password").path("access_token").asString();

		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(api.me(accessToken).statusCode()).isEqualTo(200));
	}

	/** A refresh token of the demo user alice with its signature broken. */
	private static String forgedRefreshToken(Stack stack) {
		String genuine = new KeycloakUsers(stack).tokensFromKeycloak("alice", "alice-pass")
			.path("refresh_token")
			.asString();
		return genuine.substring(0, genuine.length() - 4) + "AAAA";
	}

}
