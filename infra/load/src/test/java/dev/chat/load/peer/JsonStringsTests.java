package dev.chat.load.peer;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JsonStringsTests {

	@ParameterizedTest
	@ValueSource(strings = { "", "plain-body-123", "quote \" backslash \\ slash /", "new\nline\ttab\rcr\bbs\ffeed",
			"\u0001\u001f control", "\u00e9\u2713 \ud83d\ude00 unicode", "\u2028\u2029 separators" })
	void whatIsQuotedIsReadBackTheSame(String value) {
		String quoted = JsonStrings.quote(value);

		assertThat(JsonStrings.unquote(quoted, 0)).isEqualTo(value);
		assertThat(JsonStrings.unquote("[1," + quoted + "]", 3)).isEqualTo(value);
	}

	@Test
	void controlCharactersAreEscaped() {
		assertThat(JsonStrings.quote("a\u0001\"")).isEqualTo("\"a\\u0001\\\"\"");
	}

	@Test
	void notAStringIsNull() {
		assertThat(JsonStrings.unquote("{\"a\":1}", 5)).isNull();
		assertThat(JsonStrings.unquote("\"unterminated", 0)).isNull();
		assertThat(JsonStrings.unquote("\"bad \\x escape\"", 0)).isNull();
		assertThat(JsonStrings.unquote("\"short \\u12\"", 0)).isNull();
	}

	@Test
	void aCentrifugoTokenIsAnHs256JwtForTheClientsUser() throws Exception {
		CentrifugoTarget target = new CentrifugoTarget(1, "s3cret", 1);
		try {
			String[] parts = target.token("load-7").split("\\.");
			Base64.Decoder b64 = Base64.getUrlDecoder();

			assertThat(new String(b64.decode(parts[0]), StandardCharsets.UTF_8)).isEqualTo("{\"alg\":\"HS256\",\"typ\":\"JWT\"}");
			assertThat(new String(b64.decode(parts[1]), StandardCharsets.UTF_8)).startsWith("{\"sub\":\"load-7\",\"exp\":");
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec("s3cret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			assertThat(b64.decode(parts[2]))
				.isEqualTo(mac.doFinal((parts[0] + "." + parts[1]).getBytes(StandardCharsets.UTF_8)));
		}
		finally {
			target.close();
		}
	}

}
