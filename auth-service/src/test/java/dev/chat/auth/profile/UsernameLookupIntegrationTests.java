package dev.chat.auth.profile;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.chat.test.service.ChatServiceTest;
import dev.chat.test.tokens.TokenMinter;

/**
 * {@code GET /api/users?username=} on FerretDB: it finds a profile by its name through the
 * {@code usernames} entry, never by a scan, and the start-up backfill writes the entries of
 * profiles that have none or whose entry points at another user.
 */
@ChatServiceTest
class UsernameLookupIntegrationTests {

	@Autowired
	private WebTestClient client;

	@Autowired
	private TokenMinter minter;

	@Autowired
	private ReactiveMongoTemplate mongo;

	@Autowired
	private UsernameBackfill backfill;

	@Test
	void aUserSeenOnceIsFoundByUsernameWhateverItsCase() {
		String dana = "dana-" + UUID.randomUUID().toString().substring(0, 8);
		client.get().uri("/api/users/me").headers(h -> h.setBearerAuth(minter.token(dana, "user"))).exchange()
			.expectStatus().isOk();

		lookup(dana.toUpperCase()).jsonPath("$.items.length()").isEqualTo(1)
			.jsonPath("$.items[0].id").isEqualTo(TokenMinter.subjectOf(dana))
			.jsonPath("$.items[0].username").isEqualTo(dana)
			.jsonPath("$.items[0].email").doesNotExist();
	}

	@Test
	void anUnknownUsernameFindsNobody() {
		lookup("nobody-" + UUID.randomUUID()).jsonPath("$.items.length()").isEqualTo(0);
	}

	@Test
	void aBlankHugeOrControlCharacterUsernameIsA400NamingTheField() {
		for (String bad : new String[] { " ", "x".repeat(256), "bob\u0007" }) {
			client.get()
				.uri(uri -> uri.path("/api/users").queryParam("username", "{name}").build(bad))
				.headers(h -> h.setBearerAuth(minter.token("alice", "user")))
				.exchange()
				.expectStatus().isBadRequest()
				.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.expectBody()
				.jsonPath("$.errors[0].field").isEqualTo("username");
		}
	}

	@Test
	void theBackfillIndexesProfilesWithoutAnEntryAndRepointsAStaleOne() {
		String suffix = UUID.randomUUID().toString().substring(0, 8);
		Profile old = new Profile("id-old-" + suffix, "old-" + suffix, null, "Old", Instant.now().truncatedTo(ChronoUnit.MILLIS));
		Profile taken = new Profile("id-new-" + suffix, "taken-" + suffix, null, "New", old.createdAt());
		mongo.insert(old).block();
		mongo.insert(taken).block();
		// The name's entry still points at the user it was taken from.
		mongo.save(new UsernameEntry(taken.username(), "id-gone-" + suffix)).block();
		lookup(old.username()).jsonPath("$.items.length()").isEqualTo(0);
		lookup(taken.username()).jsonPath("$.items.length()").isEqualTo(0);

		StepVerifier.create(backfill.run()).expectNextMatches(written -> written >= 2).verifyComplete();

		lookup(old.username()).jsonPath("$.items[0].id").isEqualTo(old.id());
		lookup(taken.username()).jsonPath("$.items[0].id").isEqualTo(taken.id());
		StepVerifier.create(backfill.run()).expectNext(0L).verifyComplete();
	}

	private WebTestClient.BodyContentSpec lookup(String username) {
		return client.get()
			.uri(uri -> uri.path("/api/users").queryParam("username", "{name}").build(username))
			.headers(h -> h.setBearerAuth(minter.token("alice", "user")))
			.exchange()
			.expectStatus().isOk()
			.expectBody();
	}

}
