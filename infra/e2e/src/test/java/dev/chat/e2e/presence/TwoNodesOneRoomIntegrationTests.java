package dev.chat.e2e.presence;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import dev.chat.e2e.support.TestStackExtension;
import dev.chat.stack.Stack;
import dev.chat.test.socket.SocketClient;

import static dev.chat.e2e.presence.PresenceClient.awaitPresence;
import static dev.chat.e2e.presence.PresenceClient.subjectOf;
import static dev.chat.e2e.presence.PresenceClient.subscribed;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * alice (and later dave) on gateway node 1 and bob on node 2 in one room: every kind of room frame (message,
 * typing, presence, member) crosses between the nodes in both directions. Each node sees the
 * other's users only through Kafka, so a fan-out that served a node's own sockets alone would
 * fail here. The sockets use the nodes' direct ports, because nginx picks the node itself.
 */
@ExtendWith(TestStackExtension.class)
class TwoNodesOneRoomIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private PresenceClient client;

	private String aliceToken;

	private String bobToken;

	private String alice;

	private String bob;

	private String room;

	@BeforeEach
	void aRoomOfAliceAndBob(Stack stack) {
		client = new PresenceClient(stack);
		aliceToken = client.newUser("alice");
		bobToken = client.newUser("bob");
		alice = subjectOf(aliceToken);
		bob = subjectOf(bobToken);
		room = client.room(aliceToken, bobToken);
	}

	@Test
	void messagesTypingPresenceAndMemberFramesCrossBetweenTheNodesBothWays() {
		try (SocketClient onNode1 = subscribed(client.gateway(), aliceToken, room)) {
			try (SocketClient onNode2 = subscribed(client.gateway2(), bobToken, room)) {
				// A socket hears of the users who come online after it subscribed (the others are in
				// GET .../presence): bob here, and dave on node 2 below.
				awaitPresence(onNode1, bob, "online", WAIT);

				assertThat(sendAndReceive(onNode1, onNode2).path("senderId").asString()).isEqualTo(alice);
				assertThat(sendAndReceive(onNode2, onNode1).path("senderId").asString()).isEqualTo(bob);

				onNode1.send(frame("typing"));
				assertThat(onNode2.next("typing", WAIT).path("userId").asString()).isEqualTo(alice);
				onNode2.send(frame("typing"));
				assertThat(onNode1.next("typing", WAIT).path("userId").asString()).isEqualTo(bob);

				String carolToken = client.newUser("carol");
				String carol = subjectOf(carolToken);
				client.join(carolToken, room);
				assertMember(onNode1, carol, "joined");
				assertMember(onNode2, carol, "joined");
				client.leave(carolToken, room);
				assertMember(onNode1, carol, "left");
				assertMember(onNode2, carol, "left");

				// A user new to the room rather than alice again: a socket back within the grace
				// period cancels the pending offline, so no online would be published.
				String daveToken = client.newUser("dave");
				String dave = subjectOf(daveToken);
				client.join(daveToken, room);
				try (SocketClient daveOnNode1 = subscribed(client.gateway(), daveToken, room)) {
					awaitPresence(onNode2, dave, "online", WAIT);
				}
				awaitPresence(onNode2, dave, "offline", WAIT);
			}
			awaitPresence(onNode1, bob, "offline", WAIT);
		}
	}

	/**
	 * A message sent on one node arrives on the other with its body and a seq, the same seq as
	 * the sender's own copy (a room's frames go to every subscriber, the sender too).
	 */
	private JsonNode sendAndReceive(SocketClient from, SocketClient to) {
		String body = "across " + UUID.randomUUID();
		from.send(PresenceClient.JSON.createObjectNode()
			.put("type", "send")
			.put("roomId", room)
			.put("clientMsgId", UUID.randomUUID().toString())
			.put("body", body)
			.toString());
		JsonNode message = to.next("message", WAIT);
		JsonNode own = from.next("message", WAIT);
		assertThat(message.path("body").asString()).isEqualTo(body);
		assertThat(message.path("seq").asLong()).isPositive();
		assertThat(own.path("body").asString()).isEqualTo(body);
		assertThat(own.path("seq").asLong()).isEqualTo(message.path("seq").asLong());
		return message;
	}

	private void assertMember(SocketClient socket, String userId, String change) {
		JsonNode member = socket.next("member", WAIT);
		assertThat(member.path("userId").asString()).isEqualTo(userId);
		assertThat(member.path("change").asString()).isEqualTo(change);
	}

	private String frame(String type) {
		return PresenceClient.JSON.createObjectNode().put("type", type).put("roomId", room).toString();
	}

}
