package dev.chat.e2e.rooms;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import dev.chat.e2e.support.Keycloak;
import dev.chat.e2e.support.TestStackExtension;
import dev.chat.stack.Stack;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The room API end to end: through the gateway, with real Keycloak tokens of the demo users
 * ({@code carol} holds the realm role {@code admin}), on the stack's FerretDB and Kafka.
 */
@ExtendWith(TestStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RoomsThroughGatewayIntegrationTests {

	private RoomsClient rooms;

	private String bootstrap;

	private String alice;

	private String bob;

	private String carol;

	@BeforeAll
	void tokens(Stack stack, Keycloak keycloak) {
		rooms = new RoomsClient(stack.config().ports().gateway());
		bootstrap = stack.config().kafkaBootstrap();
		alice = keycloak.accessToken("alice");
		bob = keycloak.accessToken("bob");
		carol = keycloak.accessToken("carol");
	}

	@Test
	void aRoomIsCreatedReadAndListedWithItsCreatorAsOwner() {
		String name = "E2E lobby " + unique();

		RoomsClient.Answer created = rooms.create(alice, name, "public");

		assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(201);
		assertThat(created.location()).isEqualTo("/api/rooms/" + created.id());
		assertThat(created.body().get("role").asString()).isEqualTo("owner");
		assertThat(created.body().get("ownerId").asString()).isEqualTo(RoomsClient.subjectOf(alice));
		JsonNode asBob = rooms.room(bob, created.id()).body();
		assertThat(asBob.get("role").isNull()).isTrue();
		assertThat(asBob.get("memberCount").asLong()).isEqualTo(1);
		assertThat(ids(rooms.list(bob, name.toUpperCase(), null, null, null))).containsExactly(created.id());
		assertThat(ids(rooms.list(alice, null, true, 100, null))).contains(created.id());
	}

	@Test
	void aNameTakenInAnotherCaseIsAConflict() {
		String name = "E2E unique " + unique();
		assertThat(rooms.create(alice, name, "public").status()).isEqualTo(201);

		RoomsClient.Answer clash = rooms.create(bob, name.toUpperCase(), "private");

		assertThat(clash.status()).isEqualTo(409);
		assertThat(clash.isProblem()).isTrue();
		assertThat(clash.body().get("type").asString()).isEqualTo("urn:chat:problem:conflict");
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"name\":\"\",\"visibility\":\"public\"}", "{\"name\":\"bell\\u0007\",\"visibility\":\"public\"}",
			"{\"name\":\"ok\",\"visibility\":\"hidden\"}", "{\"name\":\"ok\"}" })
	void badInputIsA400ProblemNamingTheField(String json) {
		RoomsClient.Answer answer = rooms.post(alice, "/api/rooms", json);

		assertThat(answer.status()).isEqualTo(400);
		assertThat(answer.isProblem()).isTrue();
		assertThat(answer.body().get("type").asString()).isEqualTo("urn:chat:problem:validation");
		assertThat(answer.body().get("errors").get(0).get("field").asString()).isIn("name", "visibility");
	}

	@Test
	void aNameOfEightyOneCharactersIsRefused() {
		RoomsClient.Answer answer = rooms.create(alice, "n".repeat(81), "public");

		assertThat(answer.status()).isEqualTo(400);
		assertThat(answer.body().get("errors").get(0).get("field").asString()).isEqualTo("name");
	}

	@Test
	void aMalformedIdIsA400AndAnUnknownRoomA404() {
		RoomsClient.Answer malformed = rooms.room(alice, "not-a-room");
		assertThat(malformed.status()).isEqualTo(400);
		assertThat(malformed.body().get("errors").get(0).get("field").asString()).isEqualTo("roomId");

		RoomsClient.Answer unknown = rooms.join(alice, "0123456789abcdef01234567");
		assertThat(unknown.status()).isEqualTo(404);
		assertThat(unknown.isProblem()).isTrue();
	}

	@Test
	void listingPagesWithAnOpaqueCursorAndSearchIgnoresCase() {
		String tag = unique();
		List<String> created = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			created.add(rooms.create(i % 2 == 0 ? alice : bob, "Paged " + tag + " " + i, "public").id());
		}

		List<String> seen = new ArrayList<>();
		List<Integer> sizes = new ArrayList<>();
		String cursor = null;
		do {
			JsonNode page = rooms.list(carol, "paged " + tag.toUpperCase(), null, 2, cursor).body();
			sizes.add(page.get("items").size());
			page.get("items").forEach(item -> seen.add(item.get("id").asString()));
			cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
		}
		while (cursor != null);

		assertThat(sizes).containsExactly(2, 2, 1);
		assertThat(seen).containsExactlyElementsOf(created);
		assertThat(rooms.list(carol, null, null, 2, "garbage").status()).isEqualTo(400);
		assertThat(rooms.list(carol, null, null, 101, null).status()).isEqualTo(400);
	}

	@Test
	void aPrivateRoomIsHiddenFromStrangersAndJoinedOnlyByInvitation() {
		String roomId = rooms.create(alice, "E2E private " + unique(), "private").id();
		String bobId = RoomsClient.subjectOf(bob);
		String carolId = RoomsClient.subjectOf(carol);

		assertThat(rooms.room(bob, roomId).status()).isEqualTo(404);
		assertThat(rooms.members(bob, roomId, null, null).status()).isEqualTo(404);
		assertThat(rooms.invite(bob, roomId, carolId).status()).isEqualTo(404);
		assertThat(rooms.join(bob, roomId).status()).isEqualTo(403);
		assertThat(ids(rooms.list(bob, null, true, 100, null))).doesNotContain(roomId);

		assertThat(rooms.invite(alice, roomId, bobId).status()).isEqualTo(201);
		assertThat(rooms.invite(alice, roomId, bobId).status()).isEqualTo(200);
		assertThat(rooms.room(bob, roomId).body().get("invited").asBoolean()).isTrue();
		assertThat(rooms.members(bob, roomId, null, null).status()).isEqualTo(403);
		RoomsClient.Answer joined = rooms.join(bob, roomId);
		assertThat(joined.status()).isEqualTo(200);
		assertThat(joined.body().get("role").asString()).isEqualTo("member");
		assertThat(joined.body().get("memberCount").asLong()).isEqualTo(2);

		// A member who is not the owner may not invite; an admin may.
		assertThat(rooms.invite(bob, roomId, carolId).status()).isEqualTo(403);
		assertThat(rooms.invite(carol, roomId, carolId).status()).isEqualTo(201);
		assertThat(rooms.join(carol, roomId).status()).isEqualTo(200);
		JsonNode members = rooms.members(bob, roomId, 2, null).body();
		assertThat(members.get("items")).hasSize(2);
		assertThat(members.get("nextCursor").isNull()).isFalse();
		assertThat(rooms.members(bob, roomId, 2, members.get("nextCursor").asString()).body().get("items")).hasSize(1);
		assertThat(ids(rooms.list(bob, null, true, 100, null))).contains(roomId);
	}

	@Test
	void theOwnerLeavesOnlyAfterHandingOverOwnership() {
		String roomId = rooms.create(alice, "E2E owner " + unique(), "public").id();
		assertThat(rooms.join(bob, roomId).status()).isEqualTo(200);
		assertThat(rooms.join(bob, roomId).status()).isEqualTo(200);

		RoomsClient.Answer refused = rooms.leave(alice, roomId);
		assertThat(refused.status()).isEqualTo(409);
		assertThat(refused.body().get("detail").asString()).contains("hand ownership over");

		assertThat(rooms.handOver(bob, roomId, RoomsClient.subjectOf(bob)).status()).isEqualTo(403);
		assertThat(rooms.handOver(alice, roomId, RoomsClient.subjectOf(bob)).status()).isEqualTo(200);
		assertThat(rooms.leave(alice, roomId).status()).isEqualTo(204);
		JsonNode room = rooms.room(bob, roomId).body();
		assertThat(room.get("role").asString()).isEqualTo("owner");
		assertThat(room.get("memberCount").asLong()).isEqualTo(1);
	}

	@Test
	void everyChangeIsPublishedOnChatRoomsOnceKeyedByRoomInOrder() {
		String roomId = rooms.create(alice, "E2E events " + unique(), "private").id();
		String bobId = RoomsClient.subjectOf(bob);
		assertThat(rooms.invite(alice, roomId, bobId).status()).isEqualTo(201);
		assertThat(rooms.join(bob, roomId).status()).isEqualTo(200);
		assertThat(rooms.join(bob, roomId).status()).isEqualTo(200);
		assertThat(rooms.leave(bob, roomId).status()).isEqualTo(204);

		try (RoomEventsReader reader = new RoomEventsReader(bootstrap)) {
			reader.awaitRoom(roomId, events -> events.size() >= 4, Duration.ofSeconds(30));
			List<RoomEventsReader.Event> events = reader.pollFor(roomId, Duration.ofSeconds(2));

			assertThat(events).extracting(RoomEventsReader.Event::type)
				.containsExactly("room.created", "member.invited", "member.joined", "member.left");
			assertThat(events).extracting(RoomEventsReader.Event::key).containsOnly(roomId);
			assertThat(events).extracting(RoomEventsReader.Event::eventId).doesNotHaveDuplicates();
			assertThat(events.get(2).value().get("userId").asString()).isEqualTo(bobId);
		}
	}

	@Test
	void aRequestWithoutATokenIs401() {
		RoomsClient.Answer answer = rooms.list(null, null, null, null, null);

		assertThat(answer.status()).isEqualTo(401);
		assertThat(answer.isProblem()).isTrue();
	}

	private static List<String> ids(RoomsClient.Answer page) {
		assertThat(page.status()).as(String.valueOf(page.body())).isEqualTo(200);
		List<String> ids = new ArrayList<>();
		page.body().get("items").forEach(item -> ids.add(item.get("id").asString()));
		return ids;
	}

	private static String unique() {
		return UUID.randomUUID().toString().substring(0, 8);
	}

}
