package dev.chat.e2e.identity;

import java.net.http.HttpResponse;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import dev.chat.e2e.support.TestStackExtension;
import dev.chat.stack.Stack;

import static org.assertj.core.api.Assertions.assertThat;

/** The profile endpoints through the gateway: own profile, others' public fields, first sight. */
@ExtendWith(TestStackExtension.class)
class ProfileIntegrationTests {

	@Test
	void profilesNeedAToken(Stack stack) {
		AuthApi api = new AuthApi(stack);

		HttpResponse<String> me = api.me(null);

		assertThat(me.statusCode()).isEqualTo(401);
		assertThat(me.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(api.user("any", null).statusCode()).isEqualTo(401);
	}

	@Test
	void anotherUsersProfileShowsOnlyPublicFields(Stack stack) {
		AuthApi api = new AuthApi(stack);
		String owner = AuthApi.uniqueUsername("owner");
		JsonNode registered = AuthApi.json(api.register(owner, "owner-password", owner + "@example.com", "The Owner"));
		String viewer = AuthApi.uniqueUsername("viewer");
		api.registered(viewer, "viewer-password");
		String viewerToken = api.tokens(viewer, "viewer-password").path("access_token").asString();

		HttpResponse<String> response = api.user(registered.path("id").asString(), viewerToken);

		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		JsonNode profile = AuthApi.json(response);
		assertThat(Set.copyOf(profile.propertyNames())).containsExactlyInAnyOrder("id", "username", "displayName");
		assertThat(profile.path("id").asString()).isEqualTo(registered.path("id").asString());
		assertThat(profile.path("username").asString()).isEqualTo(owner);
		assertThat(profile.path("displayName").asString()).isEqualTo("The Owner");
	}

	@Test
	void anUnknownUserIs404(Stack stack) {
		AuthApi api = new AuthApi(stack);
		String viewer = AuthApi.uniqueUsername("viewer");
		api.registered(viewer, "viewer-password");
		String token = api.tokens(viewer, "viewer-password").path("access_token").asString();

		HttpResponse<String> response = api.user("no-such-user", token);

		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(AuthApi.json(response).path("type").asString()).isEqualTo("urn:chat:problem:not-found");
	}

	@Test
	void aUserWhoLoggedInThroughKeycloakDirectlyGetsAProfileOnFirstSight(Stack stack) {
		AuthApi api = new AuthApi(stack);
		KeycloakUsers keycloak = new KeycloakUsers(stack);
		String username = AuthApi.uniqueUsername("oidc");
		String userId = keycloak.create(username, "oidc-password", "Olga", "Oidc");
		String accessToken = keycloak.tokensFromKeycloak(username, "oidc-password").path("access_token").asString();

		try (UsersTopic topic = new UsersTopic(stack)) {
			HttpResponse<String> first = api.me(accessToken);

			assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
			JsonNode profile = AuthApi.json(first);
			assertThat(profile.path("id").asString()).isEqualTo(userId);
			assertThat(profile.path("username").asString()).isEqualTo(username);
			assertThat(profile.path("email").asString()).isEqualTo(username + "@example.com");
			assertThat(profile.path("displayName").asString()).isEqualTo("Olga Oidc");

			ConsumerRecord<String, String> registered = topic.next(userId, "user.registered");
			assertThat(UsersTopic.value(registered).path("username").asString()).isEqualTo(username);

			HttpResponse<String> again = api.me(accessToken);
			assertThat(AuthApi.json(again)).as("the profile is created once").isEqualTo(profile);
		}
	}

}
