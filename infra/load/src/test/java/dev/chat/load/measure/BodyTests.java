package dev.chat.load.measure;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BodyTests {

	@Test
	void aBodyIsPaddedToItsSizeAndParsesBack() {
		String body = Body.format("run1", 42, 123_456_789L, 100);

		assertThat(body).hasSize(100).startsWith("run1:42:123456789:x");
		assertThat(Body.parse(body, "run1")).isEqualTo(new Body("run1", 42, 123_456_789L));
	}

	@Test
	void anotherRunsBodyOrAForeignOneIsNotParsed() {
		assertThat(Body.parse(Body.format("run1", 1, 2, 50), "run2")).isNull();
		assertThat(Body.parse(Body.format("run12", 1, 2, 50), "run1")).isNull();
		assertThat(Body.parse("hello there", "run1")).isNull();
	}

}
