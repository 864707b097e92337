package dev.chat.e2e.identity;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.chat.e2e.support.TestStackExtension;
import dev.chat.stack.Component;
import dev.chat.stack.Stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Registrations whose Keycloak, store or Kafka step did not finish leave no half-state: a Keycloak
 * user without a profile is deleted, a stored profile is announced exactly once, and a
 * registration while Kafka is down succeeds and is announced when Kafka is back. The requests
 * that died are played by writing what they leave behind (a pending registration, a Keycloak user,
 * perhaps a profile); auth-service's relay settles them after its grace period (30 s in these
 * tests, see the e2e pom).
 */
@ExtendWith(TestStackExtension.class)
class RegistrationSettlementIntegrationTests {

	private static final String PASSWORD = "a-good-password";

	@Test
	void registrationsWhoseRequestDiedAreUndoneOrCompleted(Stack stack) {
		AuthApi api = new AuthApi(stack);
		KeycloakUsers keycloak = new KeycloakUsers(stack);
		String halfDone = AuthApi.uniqueUsername("halfdone");
		String profiled = AuthApi.uniqueUsername("profiled");
		try (UserStore store = new UserStore(stack); UsersTopic users = new UsersTopic(stack)) {
			// Died after Keycloak created the user, before the profile was stored.
			store.insertPendingRegistration(halfDone, Instant.now());
			keycloak.create(halfDone, PASSWORD, "Half", "Done");
			// Died after the profile was stored, before its event was published.
			String eventId = store.insertPendingRegistration(profiled, Instant.now());
			String profiledId = keycloak.create(profiled, PASSWORD, "Pro", "Filed");
			store.insert(new Document("_id", profiledId).append("username", profiled)
				.append("displayName", profiled)
				.append("createdAt", Date.from(Instant.now())));

			await("both settled").atMost(Duration.ofSeconds(90))
				.pollInterval(Duration.ofSeconds(1))
				.until(() -> store.pendingRegistration(halfDone) == null && store.pendingRegistration(profiled) == null);

			assertThat(keycloak.exists(halfDone)).as("the half-done Keycloak user is deleted").isFalse();
			assertThat(store.countByUsername(halfDone)).isZero();
			HttpResponse<String> again = api.register(halfDone, PASSWORD, null, null);
			assertThat(again.statusCode()).as("the username is free again: " + again.body()).isEqualTo(201);

			assertThat(keycloak.exists(profiled)).as("the registration that stored its profile stands").isTrue();
			assertThat(api.token(profiled, PASSWORD).statusCode()).isEqualTo(200);
			ConsumerRecord<String, String> announced = users.next(profiledId, "user.registered");
			assertThat(UsersTopic.value(announced).path("eventId").asString()).isEqualTo(eventId);
			assertThat(users.all(profiledId, "user.registered", Duration.ofSeconds(3))).hasSize(1);
		}
	}

	@Test
	void aRegistrationWhileKafkaIsDownSucceedsAndIsAnnouncedOnceKafkaIsBack(Stack stack) throws Exception {
		AuthApi api = new AuthApi(stack);
		String username = AuthApi.uniqueUsername("outage");
		Component kafka = stack.component("kafka");

		kafka.stop();
		HttpResponse<String> registered;
		try {
			assertThat(kafka.isRunning()).isFalse();
			registered = api.register(username, PASSWORD, null, null);
		}
		finally {
			stack.start(kafka);
		}

		assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
		String userId = AuthApi.json(registered).path("id").asString();
		assertThat(api.token(username, PASSWORD).statusCode()).isEqualTo(200);
		try (UserStore store = new UserStore(stack); UsersTopic users = new UsersTopic(stack, true)) {
			ConsumerRecord<String, String> announced = await("announced").atMost(Duration.ofMinutes(2))
				.until(() -> users.all(userId, "user.registered", Duration.ofSeconds(1)), list -> !list.isEmpty())
				.getFirst();
			assertThat(UsersTopic.value(announced).path("username").asString()).isEqualTo(username);
			List<ConsumerRecord<String, String>> all = users.all(userId, "user.registered", Duration.ofSeconds(3));
			assertThat(all).extracting(record -> UsersTopic.value(record).path("eventId").asString())
				.containsOnly(UsersTopic.value(announced).path("eventId").asString());
			await("the outbox entry is gone").atMost(Duration.ofSeconds(30))
				.until(() -> store.pendingRegistration(username) == null);
		}
	}

}
