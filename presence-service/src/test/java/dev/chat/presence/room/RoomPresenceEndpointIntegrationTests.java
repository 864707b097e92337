package dev.chat.presence.room;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.chat.common.error.ErrorTypes;
import dev.chat.common.events.RoomEvent;
import dev.chat.presence.support.PresenceHarness;
import dev.chat.presence.support.TestGatewayNode;
import dev.chat.test.service.ChatServiceTest;
import dev.chat.test.tokens.TokenMinter;

import static dev.chat.presence.support.PresenceHarness.id;
import static dev.chat.test.service.ChatServiceAssertions.expectUnauthorizedProblem;

/**
 * {@code GET /api/rooms/{roomId}/presence}: members see who is online; everyone else is refused
 * with a problem document. Memberships come from {@code chat.rooms} on the real Kafka.
 */
@ChatServiceTest
@DirtiesContext
@TestPropertySource(properties = { "chat.presence.consumer-group=presence-endpoint-tests",
		"spring.kafka.consumer.auto-offset-reset=latest" })
class RoomPresenceEndpointIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@Autowired
	private ApplicationContext context;

	@Autowired
	private WebTestClient client;

	@Autowired
	private TokenMinter minter;

	private String kafka;

	@BeforeEach
	void listen() {
		PresenceHarness.awaitListening(context);
		kafka = PresenceHarness.bootstrapServers(context);
	}

	@Test
	void aMemberSeesWhoIsOnlineWithNameAndSince() {
		String room = id("room");
		String owner = id("olga");
		String guest = id("gina");
		PresenceHarness.publish(kafka, created(room, owner), joined(room, guest));
		try (TestGatewayNode node = TestGatewayNode.start(kafka, Duration.ofSeconds(1))) {
			node.join(TokenMinter.subjectOf(guest), guest, room);

			Awaitility.await()
				.atMost(WAIT)
				.untilAsserted(() -> get(room, owner).expectStatus()
					.isOk()
					.expectBody()
					.jsonPath("$.roomId")
					.isEqualTo(room)
					.jsonPath("$.users.length()")
					.isEqualTo(1)
					.jsonPath("$.users[0].userId")
					.isEqualTo(TokenMinter.subjectOf(guest))
					.jsonPath("$.users[0].username")
					.isEqualTo(guest)
					.jsonPath("$.users[0].since")
					.isNotEmpty());
		}
	}

	@Test
	void aMemberOfAnEmptyRoomSeesNobody() {
		String room = id("room");
		String owner = id("omar");
		PresenceHarness.publish(kafka, created(room, owner));

		Awaitility.await()
			.atMost(WAIT)
			.untilAsserted(() -> get(room, owner).expectStatus()
				.isOk()
				.expectBody()
				.json("{\"roomId\":\"%s\",\"users\":[]}".formatted(room)));
	}

	@Test
	void someoneWhoIsNotAMemberIsRefusedWith403() {
		String room = id("room");
		String owner = id("ola");
		PresenceHarness.publish(kafka, created(room, owner));
		awaitMember(room, owner);

		expectProblem(get(room, id("stranger")), HttpStatus.FORBIDDEN, ErrorTypes.FORBIDDEN.toString());
	}

	@Test
	void aMemberWhoLeftIsRefusedWith403() {
		String room = id("room");
		String owner = id("oona");
		String leaver = id("lou");
		PresenceHarness.publish(kafka, created(room, owner), joined(room, leaver));
		awaitMember(room, leaver);

		PresenceHarness.publish(kafka,
				new RoomEvent.MemberLeft(UUID.randomUUID(), 1, Instant.now(), room, TokenMinter.subjectOf(leaver)));

		Awaitility.await()
			.atMost(WAIT)
			.untilAsserted(() -> expectProblem(get(room, leaver), HttpStatus.FORBIDDEN,
					ErrorTypes.FORBIDDEN.toString()));
	}

	@ParameterizedTest
	@ValueSource(strings = { "has:colon", "has.dot", "has space", "x2345678901234567890123456789012345678901234567890123456789012345" })
	void aMalformedRoomIdIsRefusedWith400(String roomId) {
		expectProblem(get(roomId, id("vic")), HttpStatus.BAD_REQUEST, ErrorTypes.VALIDATION.toString()).jsonPath(
				"$.errors[0].field")
			.isEqualTo("roomId");
	}

	@Test
	void aRequestWithoutTokenIsRefusedWith401() {
		expectUnauthorizedProblem(client.get().uri("/api/rooms/{roomId}/presence", id("room")).exchange());
	}

	private WebTestClient.ResponseSpec get(String roomId, String username) {
		return client.get()
			.uri("/api/rooms/{roomId}/presence", roomId)
			.headers(h -> h.setBearerAuth(minter.token(username, "user")))
			.exchange();
	}

	private void awaitMember(String roomId, String username) {
		Awaitility.await().atMost(WAIT).untilAsserted(() -> get(roomId, username).expectStatus().isOk());
	}

	private static WebTestClient.BodyContentSpec expectProblem(WebTestClient.ResponseSpec response,
			HttpStatus status, String type) {
		return response.expectStatus()
			.isEqualTo(status)
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo(type)
			.jsonPath("$.status")
			.isEqualTo(status.value());
	}

	private static RoomEvent created(String roomId, String owner) {
		return new RoomEvent.RoomCreated(UUID.randomUUID(), 1, Instant.now(), roomId, roomId, "public",
				TokenMinter.subjectOf(owner));
	}

	private static RoomEvent joined(String roomId, String username) {
		return new RoomEvent.MemberJoined(UUID.randomUUID(), 1, Instant.now(), roomId, TokenMinter.subjectOf(username),
				"member");
	}

}
