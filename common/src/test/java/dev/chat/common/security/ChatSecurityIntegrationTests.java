package dev.chat.common.security;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import dev.chat.common.error.ErrorTypes;
import dev.chat.test.tokens.BadToken;
import dev.chat.test.tokens.TokenMinter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The security auto-configuration in a minimal WebFlux app on a real port, with the minter as
 * the issuer: every refusal is a 401 problem document with a Bearer challenge, and a valid
 * token reaches the handler with its realm roles as authorities.
 *
 * <p>
 * The app declares two validators of its own, as a service may: one that accepts everything
 * (which must not switch off issuer, audience or expiry checks) and one that refuses the user
 * {@code banned} (which must be applied on top of them).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		classes = ChatSecurityIntegrationTests.App.class,
		// common's tests have actuator but neither Mongo nor Kafka: the readiness group of the
		// chat defaults names indicators this app does not have.
		properties = "management.endpoint.health.validate-group-membership=false")
@AutoConfigureWebTestClient
class ChatSecurityIntegrationTests {

	private static final TokenMinter minter = TokenMinter.shared();

	@Autowired
	private WebTestClient client;

	@DynamicPropertySource
	static void issuer(DynamicPropertyRegistry registry) {
		registry.add("chat.security.issuer-uri", () -> minter.issuerUri().toString());
		registry.add("chat.security.jwk-set-uri", () -> minter.jwkSetUri().toString());
	}

	@Test
	void validTokenReachesTheHandlerWithRealmRolesAsAuthorities() {
		client.get()
			.uri("/whoami")
			.headers(h -> h.setBearerAuth(minter.token("alice", "user", "admin")))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.username")
			.isEqualTo("alice")
			.jsonPath("$.authorities")
			.value(authorities -> assertThat(authorities.toString()).contains("ROLE_user", "ROLE_admin"));
	}

	@Test
	void requestWithoutTokenIsRefusedWithAProblem() {
		client.get()
			.uri("/whoami")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectHeader()
			.valueMatches(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"chat\".*")
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo(ErrorTypes.UNAUTHORIZED.toString())
			.jsonPath("$.status")
			.isEqualTo(401);
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource(BadToken.class)
	void badTokenIsRefusedWithAProblemAndABearerChallenge(BadToken bad) {
		String token = minter.mint(bad);

		String body = client.get()
			.uri("/whoami")
			.headers(h -> h.setBearerAuth(token))
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectHeader()
			.valueMatches(HttpHeaders.WWW_AUTHENTICATE, "Bearer .*error=\"invalid_token\".*")
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();

		assertThat(body).contains(ErrorTypes.UNAUTHORIZED.toString()).doesNotContain(token);
	}

	@Test
	void validatorTheServiceAddsIsApplied() {
		client.get()
			.uri("/whoami")
			.headers(h -> h.setBearerAuth(minter.token("banned", "user")))
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
	}

	/** Spring Security's firewall refuses an encoded semicolon; its own answer has no body. */
	@Test
	void aPathTheFirewallRefusesIsAProblemToo() {
		client.get()
			.uri("/whoami/{segment}", "a;b")
			.headers(h -> h.setBearerAuth(minter.token("alice", "user")))
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo(ErrorTypes.VALIDATION.toString())
			.jsonPath("$.instance")
			.exists();
	}

	@Test
	void healthNeedsNoToken() {
		client.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
	}

	/** The gateway reads it to build the public aggregate. */
	@Test
	void openApiDocumentNeedsNoTokenAndNamesTheSecuritySchemes() {
		client.get()
			.uri("/v3/api-docs")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.openapi")
			.value(version -> assertThat(version.toString()).startsWith("3.1"))
			.jsonPath("$.components.securitySchemes.bearer.scheme")
			.isEqualTo("bearer")
			.jsonPath("$.components.securitySchemes.keycloak.flows.authorizationCode.tokenUrl")
			.isEqualTo(minter.issuerUri() + "/protocol/openid-connect/token")
			.jsonPath("$.components.responses.Unauthorized.content['application/problem+json'].schema.$ref")
			.isEqualTo("#/components/schemas/Problem");
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration(excludeName = "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration")
	static class App {

		@Bean
		OAuth2TokenValidator<Jwt> permissiveValidator() {
			return jwt -> OAuth2TokenValidatorResult.success();
		}

		@Bean
		OAuth2TokenValidator<Jwt> notBannedValidator() {
			return jwt -> "banned".equals(jwt.getClaimAsString("preferred_username"))
					? OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "banned", null))
					: OAuth2TokenValidatorResult.success();
		}

		@Bean
		RouterFunction<ServerResponse> whoami() {
			return RouterFunctions.route()
				.GET("/whoami", request -> request.principal()
					.cast(JwtAuthenticationToken.class)
					.flatMap(auth -> ServerResponse.ok()
						.bodyValue(Map.of("username", auth.getToken().getClaimAsString("preferred_username"),
								"authorities",
								auth.getAuthorities().stream().map(GrantedAuthority::getAuthority).toList()))))
				.build();
		}

	}

}
