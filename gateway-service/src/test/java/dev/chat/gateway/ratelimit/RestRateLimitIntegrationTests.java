package dev.chat.gateway.ratelimit;

import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.chat.gateway.StubServices;
import dev.chat.test.service.ChatServiceTest;
import dev.chat.test.tokens.TokenMinter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The REST rate limits of a gateway node in front of {@link StubServices}: small limits, so that
 * a burst meets them, and the count of what reached the services behind.
 */
@ChatServiceTest
@TestPropertySource(properties = { "chat.gateway.rate-limit.user.capacity=3",
		"chat.gateway.rate-limit.user.period=3s", "chat.gateway.rate-limit.address.capacity=2",
		"chat.gateway.rate-limit.address.period=2s" })
class RestRateLimitIntegrationTests {

	private static final StubServices upstream = StubServices.start();

	@Autowired
	private WebTestClient client;

	@Autowired
	private TokenMinter minter;

	@Autowired
	private MeterRegistry meters;

	@DynamicPropertySource
	static void services(DynamicPropertyRegistry registry) {
		upstream.register(registry);
	}

	@AfterAll
	static void stopUpstream() {
		upstream.close();
	}

	@Test
	void aUserPastTheLimitGets429UntilTheBucketRefills() {
		String token = minter.token("rl-burst", "user");
		double rejectedBefore = rejections("rest-user");
		for (int remaining = 2; remaining >= 0; remaining--) {
			client.get()
				.uri("/api/rooms/r-burst")
				.headers(h -> h.setBearerAuth(token))
				.exchange()
				.expectStatus()
				.isOk()
				.expectHeader()
				.valueEquals("RateLimit-Policy", "\"user\";q=3;w=3")
				.expectHeader()
				.valueMatches("RateLimit", "\"user\";r=" + remaining + ";t=[1-3]");
		}

		client.get()
			.uri("/api/rooms/r-burst")
			.headers(h -> h.setBearerAuth(token))
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectHeader()
			.valueEquals(HttpHeaders.RETRY_AFTER, "1")
			.expectHeader()
			.valueMatches("RateLimit", "\"user\";r=0;t=[1-3]")
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo("urn:chat:problem:rate-limited")
			.jsonPath("$.status")
			.isEqualTo(429)
			.jsonPath("$.instance")
			.isEqualTo("/api/rooms/r-burst")
			.jsonPath("$.retryAfterSeconds")
			.isEqualTo(1);

		assertThat(upstream.requests().stream().filter("GET /api/rooms/r-burst"::equals)).hasSize(3);
		assertThat(rejections("rest-user")).isEqualTo(rejectedBefore + 1);

		// Another user has a bucket of their own.
		client.get()
			.uri("/api/rooms/r-burst")
			.headers(h -> h.setBearerAuth(minter.token("rl-other", "user")))
			.exchange()
			.expectStatus()
			.isOk();

		// One request comes back every second (3 per 3 s).
		await().atMost(Duration.ofSeconds(5))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> client.get()
				.uri("/api/rooms/r-burst")
				.headers(h -> h.setBearerAuth(token))
				.exchange()
				.returnResult(Void.class)
				.getStatus() == HttpStatus.OK);
	}

	@Test
	void authRequestsAreLimitedPerForwardedClientAddress() {
		double rejectedBefore = rejections("rest-address");
		// What a client wrote into X-Forwarded-For itself is left of what nginx appended.
		for (int i = 0; i < 2; i++) {
			token("6.6.6." + i + ", 203.0.113.7").expectStatus().isOk();
		}
		token("203.0.113.7").expectStatus()
			.isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
			.expectHeader()
			.valueEquals("RateLimit-Policy", "\"address\";q=2;w=2")
			.expectHeader()
			.exists(HttpHeaders.RETRY_AFTER)
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo("urn:chat:problem:rate-limited");
		assertThat(rejections("rest-address")).isEqualTo(rejectedBefore + 1);

		// Another client behind the same proxy is not held back.
		token("203.0.113.8").expectStatus().isOk();
	}

	@Test
	void aRequestWithoutAValidTokenIsRefusedBeforeItCostsABucket() {
		for (int i = 0; i < 5; i++) {
			client.get()
				.uri("/api/rooms")
				.headers(h -> h.setBearerAuth("not-a-token"))
				.exchange()
				.expectStatus()
				.isUnauthorized()
				.expectHeader()
				.doesNotExist("RateLimit");
		}
	}

	private WebTestClient.ResponseSpec token(String forwardedFor) {
		return client.post()
			.uri("/api/auth/token")
			.header("X-Forwarded-For", forwardedFor)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"username\":\"alice\",\"password\":\"secret\"}")
			.exchange();
	}

	private double rejections(String scope) {
		return meters.counter("chat.ratelimit.rejections", "scope", scope).count();
	}

}
