package dev.chat.auth.registration;

import java.util.Set;
import java.util.stream.Collectors;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The registration rules, checked before anything is created in Keycloak or Mongo. */
class RegistrationRequestTests {

	private static final ValidatorFactory FACTORY = Validation.buildDefaultValidatorFactory();

	private static final Validator VALIDATOR = FACTORY.getValidator();

	@AfterAll
	static void close() {
		FACTORY.close();
	}

	@Test
	void aMinimalRequestIsValid() {
		assertThat(invalidFields(new RegistrationRequest("dan", "12345678", null, null))).isEmpty();
	}

	@Test
	void aFullRequestIsValid() {
		assertThat(invalidFields(new RegistrationRequest("Dan.the-Man_2", "correct horse battery", "dan@example.com",
				"Dan 🎸 Ünal")))
			.isEmpty();
	}

	@Test
	void usernameAndPasswordAreRequired() {
		assertThat(invalidFields(new RegistrationRequest(null, null, null, null))).containsOnly("username", "password");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "ab", "abcdefghijklmnopqrstuvwxyz0123456", "dan smith", "dan@home", "dän", "dan\n",
			"dan/x", "<script>" })
	void usernamesOutsideTheRulesAreRefused(String username) {
		assertThat(invalidFields(new RegistrationRequest(username, "12345678", null, null))).containsOnly("username");
	}

	@ParameterizedTest
	@ValueSource(strings = { "abc", "abcdefghijklmnopqrstuvwxyz012345", "a.b_c-d" })
	void usernamesAtTheLimitsAreAccepted(String username) {
		assertThat(invalidFields(new RegistrationRequest(username, "12345678", null, null))).isEmpty();
	}

	@Test
	void passwordsOf8To128CharactersAreAccepted() {
		assertThat(invalidFields(new RegistrationRequest("dan", "x".repeat(8), null, null))).isEmpty();
		assertThat(invalidFields(new RegistrationRequest("dan", "x".repeat(128), null, null))).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(ints = { 0, 7, 129, 10_000 })
	void passwordsOfOtherLengthsAreRefused(int length) {
		assertThat(invalidFields(new RegistrationRequest("dan", "x".repeat(length), null, null)))
			.containsOnly("password");
	}

	@ParameterizedTest
	@ValueSource(strings = { "secret\u0000pass", "secret\npass", "secret\u007fpass", "secret\u0085pass" })
	void passwordsWithControlCharactersAreRefused(String password) {
		assertThat(invalidFields(new RegistrationRequest("dan", password, null, null))).containsOnly("password");
	}

	@ParameterizedTest
	@ValueSource(strings = { "not-an-email", "dan@", "@example.com", "dan@exa mple.com", "dan\n@example.com" })
	void malformedEmailsAreRefused(String email) {
		assertThat(invalidFields(new RegistrationRequest("dan", "12345678", email, null))).containsOnly("email");
	}

	@Test
	void overlongEmailsAreRefused() {
		String email = "d".repeat(64) + "@" + "e".repeat(63) + "." + "f".repeat(63) + "." + "g".repeat(63) + ".com";
		assertThat(invalidFields(new RegistrationRequest("dan", "12345678", email, null))).containsOnly("email");
	}

	@Test
	void displayNamesCountCharactersNotUtf16Units() {
		assertThat(invalidFields(new RegistrationRequest("dan", "12345678", null, "🎸".repeat(64)))).isEmpty();
		assertThat(invalidFields(new RegistrationRequest("dan", "12345678", null, "🎸".repeat(65))))
			.containsOnly("displayName");
	}

	@ParameterizedTest
	@ValueSource(strings = { "Dan\u0007", "Dan\nSmith", "Dan\tSmith", "Dan\u2028Smith", "Dan\u0000" })
	void displayNamesWithControlCharactersOrLineBreaksAreRefused(String displayName) {
		assertThat(invalidFields(new RegistrationRequest("dan", "12345678", null, displayName)))
			.containsOnly("displayName");
	}

	@Test
	void everyInvalidFieldIsNamed() {
		assertThat(invalidFields(new RegistrationRequest("a b", "short", "nope", "x".repeat(65))))
			.containsOnly("username", "password", "email", "displayName");
	}

	@Test
	void thePasswordNeverAppearsInTheRequestsText() {
		assertThat(new RegistrationRequest("dan", "my-secret-pass", null, null).toString())
			.doesNotContain("my-secret-pass");
	}

	private static Set<String> invalidFields(RegistrationRequest request) {
		Set<ConstraintViolation<RegistrationRequest>> violations = VALIDATOR.validate(request);
		return violations.stream().map(v -> v.getPropertyPath().toString()).collect(Collectors.toSet());
	}

}
