package dev.chat.room.membership;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import com.mongodb.client.model.Filters;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.chat.common.error.ErrorTypes;
import dev.chat.room.RoomsApi;
import dev.chat.test.service.ChatServiceTest;
import dev.chat.test.tokens.TokenMinter;

import static dev.chat.room.RoomsApi.body;
import static dev.chat.room.RoomsApi.idOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.data.mongodb.core.query.Criteria.where;

/**
 * Joining, leaving, inviting, handing over and listing members on room-service as a whole,
 * against FerretDB, Kafka and the test token issuer. {@code carol}'s tokens carry the realm role
 * {@code admin}; every other user is a plain user.
 */
@ChatServiceTest
class MembershipIntegrationTests {

	@Autowired
	private WebTestClient client;

	@Autowired
	private TokenMinter minter;

	@Autowired
	private ReactiveMongoTemplate mongo;

	private RoomsApi api;

	@BeforeEach
	void api() {
		api = new RoomsApi(client, minter);
	}

	@Test
	void joiningAPublicRoomTwiceMakesOneMembership() {
		String roomId = api.createdRoom("alice", "Open " + unique(), "public");

		JsonNode first = body(api.join("bob", roomId).expectStatus().isOk());
		JsonNode second = body(api.join("bob", roomId).expectStatus().isOk());

		assertThat(first.get("role").asString()).isEqualTo("member");
		assertThat(first.get("memberCount").asLong()).isEqualTo(2);
		assertThat(second.get("memberCount").asLong()).isEqualTo(2);
		assertThat(memberIds(roomId)).containsExactlyInAnyOrder(idOf("alice"), idOf("bob"));
	}

	@Test
	void joiningAPrivateRoomWithoutAnInvitationIs403AndChangesNothing() {
		String roomId = api.createdRoom("alice", "Closed " + unique(), "private");

		api.join("bob", roomId)
			.expectStatus()
			.isForbidden()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo(ErrorTypes.FORBIDDEN.toString());
		// Being an admin is not an invitation.
		api.join("carol", roomId).expectStatus().isForbidden();

		assertThat(memberIds(roomId)).containsExactly(idOf("alice"));
		assertThat(count("memberships", roomId + ":" + idOf("bob"))).isZero();
	}

	@Test
	void anInvitedUserJoinsAPrivateRoomAndMayComeBackAfterLeaving() {
		String roomId = api.createdRoom("alice", "Invite only " + unique(), "private");
		api.invite("alice", roomId, "bob").expectStatus().isCreated();

		JsonNode joined = body(api.join("bob", roomId).expectStatus().isOk());
		assertThat(joined.get("role").asString()).isEqualTo("member");
		assertThat(joined.get("memberCount").asLong()).isEqualTo(2);

		api.leave("bob", roomId).expectStatus().isNoContent();
		assertThat(body(api.room("bob", roomId).expectStatus().isOk()).get("role").isNull()).isTrue();
		api.join("bob", roomId).expectStatus().isOk();
		assertThat(memberIds(roomId)).containsExactlyInAnyOrder(idOf("alice"), idOf("bob"));
	}

	@Test
	void theOwnerInvitesAndInvitingTwiceIsTheSameInvitation() {
		String roomId = api.createdRoom("alice", "Owner invites " + unique(), "private");

		JsonNode invitation = body(api.invite("alice", roomId, "bob").expectStatus().isCreated());
		assertThat(invitation.get("userId").asString()).isEqualTo(idOf("bob"));
		assertThat(invitation.get("invitedBy").asString()).isEqualTo(idOf("alice"));

		JsonNode again = body(api.invite("alice", roomId, "bob").expectStatus().isOk());
		assertThat(again.get("invitedAt").asString()).isEqualTo(invitation.get("invitedAt").asString());
		assertThat(count("invitations", roomId + ":" + idOf("bob"))).isEqualTo(1);
	}

	@Test
	void anAdminMayInviteToARoomTheyDoNotOwn() {
		String roomId = api.createdRoom("alice", "Admin invites " + unique(), "private");

		JsonNode invitation = body(api.invite("carol", roomId, "bob").expectStatus().isCreated());

		assertThat(invitation.get("invitedBy").asString()).isEqualTo(idOf("carol"));
	}

	@Test
	void aMemberWhoIsNotTheOwnerMayNotInvite() {
		String roomId = api.createdRoom("alice", "Members cannot invite " + unique(), "public");
		api.join("bob", roomId).expectStatus().isOk();

		api.invite("bob", roomId, "dave")
			.expectStatus()
			.isForbidden()
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo(ErrorTypes.FORBIDDEN.toString());
		assertThat(count("invitations", roomId + ":" + idOf("dave"))).isZero();
	}

	@Test
	void aStrangerInvitingToAPrivateRoomGets404() {
		String roomId = api.createdRoom("alice", "Hidden " + unique(), "private");

		api.invite("bob", roomId, "dave").expectStatus().isNotFound();
	}

	@Test
	void invitingAMemberIsAConflict() {
		String roomId = api.createdRoom("alice", "Already in " + unique(), "public");
		api.join("bob", roomId).expectStatus().isOk();

		api.invite("alice", roomId, "bob").expectStatus().isEqualTo(409);
	}

	@ParameterizedTest
	@ValueSource(strings = { "{}", "{\"userId\":\"bob\"}", "{\"userId\":\"0b8D5D3E-1F4A-4C7B-9E2D-3A1B2C3D4E5F\"}",
			"{\"userId\":42}" })
	void aMalformedUserIdIsA400NamingItAndStoresNothing(String json) {
		String roomId = api.createdRoom("alice", "Bad invite " + unique(), "private");

		api.postRaw("alice", "/api/rooms/" + roomId + "/invites", json)
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.errors[0].field")
			.isEqualTo("userId");
		assertThat(mongo.count(new Query(where("roomId").is(roomId)), "invitations").block()).isZero();
	}

	@Test
	void theOwnerCannotLeaveWhileOtherMembersRemain() {
		String roomId = api.createdRoom("alice", "Owner stays " + unique(), "public");
		api.join("bob", roomId).expectStatus().isOk();

		api.leave("alice", roomId)
			.expectStatus()
			.isEqualTo(409)
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo(ErrorTypes.CONFLICT.toString())
			.jsonPath("$.detail")
			.value(detail -> assertThat(detail.toString()).contains("hand ownership over"));

		assertThat(memberIds(roomId)).contains(idOf("alice"));
	}

	@Test
	void theOwnerHandsOverOwnershipAndThenMayLeave() {
		String roomId = api.createdRoom("alice", "Hand over " + unique(), "public");
		api.join("bob", roomId).expectStatus().isOk();

		JsonNode handedOver = body(api.post("alice", "/api/rooms/" + roomId + "/owner", Map.of("userId", idOf("bob")))
			.expectStatus()
			.isOk());
		assertThat(handedOver.get("ownerId").asString()).isEqualTo(idOf("bob"));
		assertThat(handedOver.get("role").asString()).isEqualTo("member");

		api.leave("alice", roomId).expectStatus().isNoContent();
		JsonNode room = body(api.room("bob", roomId).expectStatus().isOk());
		assertThat(room.get("role").asString()).isEqualTo("owner");
		assertThat(room.get("memberCount").asLong()).isEqualTo(1);
	}

	@Test
	void ownershipGoesOnlyToAMemberAndOnlyFromTheOwnerOrAnAdmin() {
		String roomId = api.createdRoom("alice", "Only members own " + unique(), "public");
		api.join("bob", roomId).expectStatus().isOk();

		api.post("alice", "/api/rooms/" + roomId + "/owner", Map.of("userId", idOf("dave")))
			.expectStatus()
			.isEqualTo(409);
		api.post("bob", "/api/rooms/" + roomId + "/owner", Map.of("userId", idOf("bob"))).expectStatus().isForbidden();
		api.post("carol", "/api/rooms/" + roomId + "/owner", Map.of("userId", idOf("bob"))).expectStatus().isOk();

		assertThat(body(api.room("bob", roomId).expectStatus().isOk()).get("role").asString()).isEqualTo("owner");
	}

	@Test
	void anOwnerWhoIsTheLastMemberMayLeaveAndTheRoomKeepsNoOwner() {
		String roomId = api.createdRoom("alice", "Last one out " + unique(), "public");

		api.leave("alice", roomId).expectStatus().isNoContent();

		JsonNode room = body(api.room("alice", roomId).expectStatus().isOk());
		assertThat(room.get("ownerId").isNull()).isTrue();
		assertThat(room.get("memberCount").asLong()).isZero();
		assertThat(room.get("role").isNull()).isTrue();
	}

	@Test
	void leavingARoomOneIsNotInChangesNothing() {
		String roomId = api.createdRoom("alice", "Never joined " + unique(), "public");

		api.leave("bob", roomId).expectStatus().isNoContent();

		assertThat(body(api.room("alice", roomId).expectStatus().isOk()).get("memberCount").asLong()).isEqualTo(1);
	}

	@Test
	void anUnknownRoomIs404ForEveryMembershipEndpoint() {
		String unknown = "0123456789abcdef01234567";

		api.join("bob", unknown).expectStatus().isNotFound();
		api.leave("bob", unknown).expectStatus().isNotFound();
		api.invite("carol", unknown, "bob").expectStatus().isNotFound();
		api.get("bob", "/api/rooms/" + unknown + "/members").expectStatus().isNotFound();
		api.post("carol", "/api/rooms/" + unknown + "/owner", Map.of("userId", idOf("bob"))).expectStatus().isNotFound();
	}

	@Test
	void membersArePagedInUserIdOrder() {
		String roomId = api.createdRoom("alice", "Crowd " + unique(), "public");
		IntStream.range(0, 24).forEach(i -> api.join("crowd-" + i, roomId).expectStatus().isOk());

		List<String> seen = new ArrayList<>();
		List<Integer> sizes = new ArrayList<>();
		String cursor = null;
		do {
			JsonNode page = body(api.get("bob", "/api/rooms/" + roomId + "/members?limit=10"
					+ (cursor != null ? "&cursor=" + cursor : ""))
				.expectStatus()
				.isOk());
			sizes.add(page.get("items").size());
			page.get("items").forEach(item -> seen.add(item.get("userId").asString()));
			cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
		}
		while (cursor != null);

		assertThat(sizes).containsExactly(10, 10, 5);
		assertThat(seen).isSorted().doesNotHaveDuplicates().hasSize(25).contains(idOf("alice"));
	}

	@Test
	void theMembersOfAPrivateRoomAreListedOnlyToItsMembers() {
		String roomId = api.createdRoom("alice", "Private list " + unique(), "private");
		api.invite("alice", roomId, "bob").expectStatus().isCreated();

		api.get("bob", "/api/rooms/" + roomId + "/members").expectStatus().isForbidden();
		api.get("carol", "/api/rooms/" + roomId + "/members").expectStatus().isForbidden();
		api.get("dave", "/api/rooms/" + roomId + "/members").expectStatus().isNotFound();
		api.join("bob", roomId).expectStatus().isOk();
		assertThat(body(api.get("bob", "/api/rooms/" + roomId + "/members").expectStatus().isOk()).get("items"))
			.hasSize(2);
	}

	@Test
	void aMembersCursorOfAnotherListingIsA400() {
		String roomId = api.createdRoom("alice", "Cursor check " + unique(), "public");
		String roomsCursor = java.util.Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(("rooms:" + roomId).getBytes());

		api.get("alice", "/api/rooms/" + roomId + "/members?cursor=" + roomsCursor)
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.errors[0].field")
			.isEqualTo("cursor");
	}

	/**
	 * 50 users join one room at once: 50 joins succeed, and the room has 51 members (the 50 and
	 * its owner), counted the same in its {@code memberCount}, its member list and the membership
	 * documents.
	 */
	@Test
	void fiftyConcurrentJoinsOfOneRoomMakeFiftyMembersBesidesTheOwner() throws Exception {
		String roomId = api.createdRoom("alice", "Rush " + unique(), "public");
		List<String> tokens = IntStream.range(0, 50).mapToObj(i -> api.token("rush-" + i)).toList();
		// All of them hit one document (the room, or the name) and SQLite writes one at a time:
		// on a busy machine the last answer can take longer than the client's default 5 s.
		WebTestClient patient = client.mutate().responseTimeout(Duration.ofSeconds(60)).build();
		CountDownLatch start = new CountDownLatch(1);
		List<Future<Integer>> statuses = new ArrayList<>();
		try (ExecutorService pool = Executors.newFixedThreadPool(tokens.size())) {
			for (String token : tokens) {
				statuses.add(pool.submit(() -> {
					start.await();
					return patient.post()
						.uri("/api/rooms/" + roomId + "/join")
						.headers(h -> h.setBearerAuth(token))
						.exchange()
						.returnResult(String.class)
						.getStatus()
						.value();
				}));
			}
			start.countDown();
			for (Future<Integer> status : statuses) {
				assertThat(status.get()).isEqualTo(200);
			}
		}

		JsonNode room = body(api.room("alice", roomId).expectStatus().isOk());
		assertThat(room.get("memberCount").asLong()).isEqualTo(51);
		assertThat(memberIds(roomId)).hasSize(51).doesNotHaveDuplicates();
		assertThat(mongo.count(new Query(where("roomId").is(roomId).and("state").is("MEMBER")), "memberships")
			.block(Duration.ofSeconds(10))).isEqualTo(51);
	}

	private List<String> memberIds(String roomId) {
		// The driver itself: Spring would turn an id that looks like an ObjectId into one.
		Document members = mongo.getCollection("room_members")
			.flatMap(collection -> Mono.from(collection.find(Filters.eq("_id", roomId)).first()))
			.block(Duration.ofSeconds(10));
		return members == null ? List.of() : members.getList("members", String.class);
	}

	private long count(String collection, String id) {
		return mongo.count(new Query(where("_id").is(id)), collection).block(Duration.ofSeconds(10));
	}

	private static String unique() {
		return UUID.randomUUID().toString().substring(0, 8);
	}

}
