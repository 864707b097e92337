package dev.chat.e2e.messages;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import dev.chat.e2e.support.Keycloak;
import dev.chat.e2e.support.TestStackExtension;
import dev.chat.stack.Stack;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Messages over REST through the gateway, on the whole stack with real Keycloak tokens: rooms
 * created and joined at room-service, messages sent, edited and deleted at message-service,
 * history read back.
 */
@ExtendWith(TestStackExtension.class)
class MessagesThroughGatewayIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private ChatApi api;

	private String roomId;

	@BeforeEach
	void aRoomOfAliceAndBob(Stack stack, Keycloak keycloak) {
		api = new ChatApi(stack.config().ports().gateway(), keycloak);
		roomId = api.createRoom("alice", "bob");
	}

	@Test
	void messagesSentOverRestAreStoredInOrderAndReadBackByAnotherMember() {
		for (int i = 1; i <= 20; i++) {
			ChatApi.Response accepted = api.post("alice", messages(), Map.of("clientMsgId", "a-" + i, "body", "hello " + i));
			assertThat(accepted.status()).as("send " + i).isEqualTo(202);
			assertThat(accepted.body().path("clientMsgId").asString()).isEqualTo("a-" + i);
		}

		List<JsonNode> history = awaitHistory("bob", 20);
		assertThat(history).extracting(m -> m.path("seq").asLong())
			.containsExactlyElementsOf(IntStream.rangeClosed(1, 20).mapToObj(Long::valueOf).toList());
		assertThat(history).extracting(m -> m.path("clientMsgId").asString())
			.containsExactlyElementsOf(IntStream.rangeClosed(1, 20).mapToObj(i -> "a-" + i).toList());
		assertThat(history).extracting(m -> m.path("senderId").asString()).containsOnly(api.userId("alice"));
		assertThat(history.getFirst().path("id").asString()).isEqualTo(roomId + "-1");

		JsonNode newest = api.get("bob", messages() + "?limit=5").body();
		assertThat(newest.path("lastSeq").asLong()).isEqualTo(20);
		assertThat(newest.path("hasMore").asBoolean()).isTrue();
		assertThat(newest.path("messages").get(0).path("seq").asLong()).isEqualTo(20);
	}

	@Test
	void aRetriedSendIsStoredOnce() {
		for (int i = 0; i < 3; i++) {
			assertThat(api.post("alice", messages(), Map.of("clientMsgId", "retried", "body", "once")).status())
				.isEqualTo(202);
		}
		assertThat(api.post("alice", messages(), Map.of("clientMsgId", "marker", "body", "after")).status())
			.isEqualTo(202);

		assertThat(awaitHistory("alice", 2)).extracting(m -> m.path("clientMsgId").asString())
			.containsExactly("retried", "marker");
	}

	@Test
	void theSenderEditsTheOwnerDeletesAndOthersMayNot() {
		api.post("alice", messages(), Map.of("clientMsgId", "a-1", "body", "from alice"));
		api.post("bob", messages(), Map.of("clientMsgId", "b-1", "body", "from bob"));
		awaitHistory("alice", 2);

		assertThat(api.patch("bob", messages() + "/" + roomId + "-1", Map.of("body", "hijack")).status())
			.isEqualTo(403);
		assertThat(api.delete("bob", messages() + "/" + roomId + "-1").status()).isEqualTo(403);
		assertThat(api.patch("alice", messages() + "/" + roomId + "-1", Map.of("body", "from alice, edited")).status())
			.isEqualTo(202);
		assertThat(api.delete("alice", messages() + "/" + roomId + "-2").status()).isEqualTo(202);

		Awaitility.await("the edit and the delete in history")
			.atMost(WAIT)
			.untilAsserted(() -> {
				JsonNode page = api.get("bob", messages()).body();
				assertThat(page.path("lastSeq").asLong()).isEqualTo(4);
				JsonNode bobs = page.path("messages").get(0);
				JsonNode alices = page.path("messages").get(1);
				assertThat(bobs.path("deleted").asBoolean()).isTrue();
				assertThat(bobs.has("body")).isFalse();
				assertThat(alices.path("body").asString()).isEqualTo("from alice, edited");
				assertThat(alices.has("editedAt")).isTrue();
			});
	}

	@Test
	void outsidersAreRefusedAndBadInputIsNamed() {
		assertThat(api.get("carol", messages()).status()).isEqualTo(403);
		ChatApi.Response refused = api.post("carol", messages(), Map.of("clientMsgId", "c-1", "body", "let me in"));
		assertThat(refused.status()).isEqualTo(403);
		assertThat(refused.body().path("type").asString()).isEqualTo("urn:chat:problem:forbidden");
		assertThat(api.get("alice", "/api/rooms/0123456789abcdef01234567/messages").status()).isEqualTo(404);

		ChatApi.Response invalid = api.post("alice", messages(), Map.of("clientMsgId", "no spaces allowed", "body", "x"));
		assertThat(invalid.status()).isEqualTo(400);
		assertThat(invalid.body().path("errors").get(0).path("field").asString()).isEqualTo("clientMsgId");
		ChatApi.Response tooLong = api.post("alice", messages(), Map.of("clientMsgId", "ok", "body", "x".repeat(4_001)));
		assertThat(tooLong.status()).isEqualTo(400);
		assertThat(tooLong.body().path("errors").get(0).path("field").asString()).isEqualTo("body");
	}

	private String messages() {
		return "/api/rooms/" + roomId + "/messages";
	}

	private List<JsonNode> awaitHistory(String user, int count) {
		return Awaitility.await(count + " messages in " + roomId)
			.atMost(WAIT)
			.pollInterval(Duration.ofMillis(100))
			.until(() -> api.history(user, roomId), messages -> messages.size() >= count);
	}

}
