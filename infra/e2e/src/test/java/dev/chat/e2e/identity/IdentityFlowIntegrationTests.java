package dev.chat.e2e.identity;

import java.net.http.HttpResponse;
import java.time.Instant;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import dev.chat.e2e.support.TestStackExtension;
import dev.chat.stack.Stack;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A user's whole life through the gateway, on real Keycloak, Kafka and FerretDB: register, log
 * in, see the profile, refresh, log out, and the session is over.
 */
@ExtendWith(TestStackExtension.class)
class IdentityFlowIntegrationTests {

	@Test
	void aUserRegistersLogsInRefreshesAndLogsOut(Stack stack) {
		AuthApi api = new AuthApi(stack);
		String username = AuthApi.uniqueUsername("Flow");

		HttpResponse<String> registration = api.register(username, "flow-password-1", username + "@example.com",
				"Flow Tester 🎸");
		assertThat(registration.statusCode()).as(registration.body()).isEqualTo(201);
		JsonNode user = AuthApi.json(registration);
		assertThat(user.path("username").asString()).isEqualTo(username.toLowerCase());
		assertThat(user.path("email").asString()).isEqualTo(username.toLowerCase() + "@example.com");
		assertThat(user.path("displayName").asString()).isEqualTo("Flow Tester 🎸");
		assertThat(Instant.parse(user.path("createdAt").asString())).isBeforeOrEqualTo(Instant.now());
		assertThat(registration.headers().firstValue("Location")).hasValue("/api/users/" + user.path("id").asString());

		HttpResponse<String> login = api.token(username, "flow-password-1");
		assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
		assertThat(login.headers().firstValue("Cache-Control")).hasValueSatisfying(v -> assertThat(v).contains("no-store"));
		JsonNode tokens = AuthApi.json(login);
		String accessToken = tokens.path("access_token").asString();
		assertThat(AuthApi.claims(accessToken).path("sub").asString()).isEqualTo(user.path("id").asString());
		assertThat(AuthApi.claims(accessToken).path("aud").toString()).contains("chat-api");

		HttpResponse<String> me = api.me(accessToken);
		assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
		assertThat(AuthApi.json(me)).isEqualTo(user);

		HttpResponse<String> refreshed = api.refresh(tokens.path("refresh_token").asString());
		assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
		JsonNode renewed = AuthApi.json(refreshed);
		assertThat(renewed.path("access_token").asString()).isNotBlank().isNotEqualTo(accessToken);
		assertThat(api.me(renewed.path("access_token").asString()).statusCode()).isEqualTo(200);

		String refreshToken = renewed.path("refresh_token").asString();
		assertThat(api.logout(refreshToken).statusCode()).isEqualTo(204);

		HttpResponse<String> afterLogout = api.refresh(refreshToken);
		assertThat(afterLogout.statusCode()).isEqualTo(401);
		assertThat(afterLogout.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(AuthApi.json(afterLogout).path("type").asString()).isEqualTo("urn:chat:problem:unauthorized");
		assertThat(api.refresh(tokens.path("refresh_token").asString()).statusCode())
			.as("the first refresh token belongs to the same, ended session")
			.isEqualTo(401);
	}

	@Test
	void registrationPublishesUserRegistered(Stack stack) {
		AuthApi api = new AuthApi(stack);
		String username = AuthApi.uniqueUsername("event");
		try (UsersTopic topic = new UsersTopic(stack)) {
			JsonNode user = AuthApi.json(api.register(username, "event-password", null, "Event Tester"));
			String userId = user.path("id").asString();

			ConsumerRecord<String, String> record = topic.next(userId, "user.registered");

			JsonNode event = UsersTopic.value(record);
			assertThat(record.key()).isEqualTo(userId);
			assertThat(event.path("userId").asString()).isEqualTo(userId);
			assertThat(event.path("username").asString()).isEqualTo(username);
			assertThat(event.path("displayName").asString()).isEqualTo("Event Tester");
			assertThat(event.path("version").asInt()).isEqualTo(1);
			assertThat(event.path("eventId").asString()).isNotBlank();
			assertThat(event.path("occurredAt").asString()).isNotBlank();
		}
	}

	@Test
	void logoutPublishesUserLoggedOutWithTheSessionOfTheToken(Stack stack) {
		AuthApi api = new AuthApi(stack);
		String username = AuthApi.uniqueUsername("logout");
		String userId = api.registered(username, "logout-password").path("id").asString();
		JsonNode tokens = api.tokens(username, "logout-password");
		String sessionId = AuthApi.claims(tokens.path("access_token").asString()).path("sid").asString();
		try (UsersTopic topic = new UsersTopic(stack)) {
			assertThat(api.logout(tokens.path("refresh_token").asString()).statusCode()).isEqualTo(204);

			JsonNode event = UsersTopic.value(topic.next(userId, "user.logged-out"));

			assertThat(event.path("userId").asString()).isEqualTo(userId);
			assertThat(event.path("sessionId").asString()).isEqualTo(sessionId).isNotBlank();
		}
	}

}
