package dev.chat.message;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.awaitility.Awaitility;

import org.springframework.test.web.reactive.server.WebTestClient;

import dev.chat.common.events.MessageCommand;
import dev.chat.common.events.RoomEvent;
import dev.chat.common.kafka.Topics;
import dev.chat.test.tokens.TokenMinter;

/**
 * Rooms as room-service would announce them on {@code chat.rooms}, and commands as the gateway
 * would publish them on {@code chat.messages.inbound}; users by name, ids as the token minter
 * derives them.
 */
final class Rooms {

	static final Duration WAIT = Duration.ofSeconds(30);

	private final ChatTopics topics;

	private final WebTestClient client;

	private final TokenMinter minter;

	Rooms(ChatTopics topics, WebTestClient client, TokenMinter minter) {
		this.topics = topics;
		this.client = client;
		this.minter = minter;
	}

	static String id(String user) {
		return TokenMinter.subjectOf(user);
	}

	static String newRoomId() {
		return "room-" + UUID.randomUUID();
	}

	String token(String user) {
		return minter.token(user, "user");
	}

	/** A room owned by {@code owner} with {@code members}, once message-service knows them all. */
	String create(String owner, String... members) {
		String roomId = newRoomId();
		topics.publish(Topics.ROOMS, roomId, new RoomEvent.RoomCreated(UUID.randomUUID(), 1, Instant.now(), roomId,
				"test room", "public", id(owner)));
		awaitMember(roomId, owner);
		for (String member : members) {
			join(roomId, member);
		}
		return roomId;
	}

	void join(String roomId, String user) {
		publish(new RoomEvent.MemberJoined(UUID.randomUUID(), 1, Instant.now(), roomId, id(user), "member"));
		awaitMember(roomId, user);
	}

	void publish(RoomEvent event) {
		topics.publish(Topics.ROOMS, event.roomId(), event);
	}

	/** Waits until the user may read the room's history: the projection has their join. */
	void awaitMember(String roomId, String user) {
		Awaitility.await(user + " is a member of " + roomId)
			.atMost(WAIT)
			.pollInterval(Duration.ofMillis(50))
			.untilAsserted(() -> client.get()
				.uri("/api/rooms/{roomId}/messages?limit=1", roomId)
				.headers(headers -> headers.setBearerAuth(token(user)))
				.exchange()
				.expectStatus()
				.isOk());
	}

	/** Publishes a send as the gateway does, and returns it. */
	MessageCommand.SendMessage send(String roomId, String user, String clientMsgId, String body) {
		MessageCommand.SendMessage send = MessageCommand.SendMessage.of(roomId, id(user), clientMsgId, body);
		command(send);
		return send;
	}

	void command(MessageCommand command) {
		topics.publish(Topics.MESSAGES_INBOUND, command.roomId(), command);
	}

	static MessageCommand.EditMessage edit(String roomId, String user, String messageId, String body) {
		return new MessageCommand.EditMessage(UUID.randomUUID(), 1, Instant.now(), roomId, id(user), messageId, body);
	}

	static MessageCommand.DeleteMessage delete(String roomId, String user, String messageId) {
		return new MessageCommand.DeleteMessage(UUID.randomUUID(), 1, Instant.now(), roomId, id(user), messageId);
	}

}
