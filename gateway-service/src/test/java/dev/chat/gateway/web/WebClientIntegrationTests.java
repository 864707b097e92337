package dev.chat.gateway.web;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.core.env.Environment;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.chat.test.service.ChatServiceTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The browser client's way in: its page, its assets and {@code GET /api/config} are served
 * without a token, and nothing else is.
 */
@ChatServiceTest
class WebClientIntegrationTests {

	@Autowired
	private WebTestClient client;

	@Autowired
	private Environment environment;

	@Test
	void theConfigNamesTheIssuerTokensAreCheckedAgainstAndThePublicClientWithoutAToken() {
		String issuer = environment.getRequiredProperty("chat.security.issuer-uri");
		assertThat(issuer).startsWith("http");

		client.get()
			.uri("/api/config")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentType(MediaType.APPLICATION_JSON)
			.expectBody()
			.jsonPath("$.issuer")
			.isEqualTo(issuer)
			.jsonPath("$.clientId")
			.isEqualTo("chat-web");
	}

	@Test
	void thePageIsServedAtTheRootAndLoadsItsAssetsFromAssets() {
		String page = client.get()
			.uri("/")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.TEXT_HTML)
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();

		assertThat(page).contains("<html", "/assets/");
		String asset = page.replaceAll("(?s).*?\"(/assets/[^\"]+\\.js)\".*", "$1");
		client.get().uri(asset).exchange().expectStatus().isOk();
	}

	@Test
	void anythingElseOutsideTheApiStillNeedsAToken() {
		client.get().uri("/actuator/env").exchange().expectStatus().isUnauthorized();
		client.get().uri("/private.html").exchange().expectStatus().isUnauthorized();
	}

}
