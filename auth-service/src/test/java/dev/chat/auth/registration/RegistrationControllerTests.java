package dev.chat.auth.registration;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.chat.common.security.ChatSecurityAutoConfiguration;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

/**
 * What a client sees when the registration request itself is wrong: a 400 problem document
 * naming the fields, and no registration attempted.
 */
@WebFluxTest(RegistrationController.class)
@ImportAutoConfiguration(ChatSecurityAutoConfiguration.class)
class RegistrationControllerTests {

	@Autowired
	private WebTestClient client;

	@MockitoBean
	private RegistrationService registrations;

	@Test
	void invalidFieldsAreAProblemNamingEachField() {
		post("{\"username\":\"a b\",\"password\":\"short\",\"email\":\"nope\",\"displayName\":\"x\\u0007\"}")
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo("urn:chat:problem:validation")
			.jsonPath("$.errors[?(@.field == 'username')]")
			.exists()
			.jsonPath("$.errors[?(@.field == 'password')]")
			.exists()
			.jsonPath("$.errors[?(@.field == 'email')]")
			.exists()
			.jsonPath("$.errors[?(@.field == 'displayName')]")
			.exists();
		verify(registrations, never()).register(any());
	}

	@Test
	void missingFieldsAreNamed() {
		post("{}").expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.errors[?(@.field == 'username')]")
			.exists()
			.jsonPath("$.errors[?(@.field == 'password')]")
			.exists();
		verify(registrations, never()).register(any());
	}

	@Test
	void malformedJsonIsAValidationProblem() {
		post("{\"username\":").expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo("urn:chat:problem:validation");
		verify(registrations, never()).register(any());
	}

	@Test
	void aValueOfTheWrongTypeIsNamed() {
		post("{\"username\":{\"nested\":true},\"password\":\"12345678\"}").expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.errors[0].field")
			.isEqualTo("username");
		verify(registrations, never()).register(any());
	}

	@Test
	void anEmptyBodyIsAValidationProblem() {
		client.post()
			.uri("/api/auth/register")
			.contentType(MediaType.APPLICATION_JSON)
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo("urn:chat:problem:validation");
	}

	private WebTestClient.ResponseSpec post(String body) {
		return client.post()
			.uri("/api/auth/register")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange();
	}

}
