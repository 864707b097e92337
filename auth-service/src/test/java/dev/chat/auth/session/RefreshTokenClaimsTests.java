package dev.chat.auth.session;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class RefreshTokenClaimsTests {

	@Test
	void readsTheUserAndTheSession() {
		String token = SessionServiceTests.refreshToken("{\"sub\":\"id-dan\",\"sid\":\"session-1\",\"typ\":\"Refresh\"}");

		assertThat(RefreshTokenClaims.read(token)).contains(new RefreshTokenClaims("id-dan", "session-1"));
	}

	@Test
	void aTokenWithoutASessionIsNotAccepted() {
		assertThat(RefreshTokenClaims.read(SessionServiceTests.refreshToken("{\"sub\":\"id-dan\"}"))).isEmpty();
		assertThat(RefreshTokenClaims.read(SessionServiceTests.refreshToken("{\"sub\":\"id-dan\",\"sid\":42}")))
			.isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "abc", "a.b", "a.b.c.d", "a.!!!.c", "a.bm90IGpzb24.c", "a.W10.c" })
	void malformedValuesAreNotAccepted(String token) {
		assertThat(RefreshTokenClaims.read(token)).isEmpty();
	}

}
