package dev.chat.auth.profile;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DisplayNamesTests {

	@Test
	void aCleanNameIsKept() {
		assertThat(DisplayNames.clean("Dan Smith 🎸", "dan")).isEqualTo("Dan Smith 🎸");
	}

	@Test
	void controlCharactersAndLineBreaksBecomeSingleSpaces() {
		assertThat(DisplayNames.clean(" Dan\n\u0007Smith\u2028Jr ", "dan")).isEqualTo("Dan Smith Jr");
	}

	@Test
	void aMissingOrEmptyNameFallsBack() {
		assertThat(DisplayNames.clean(null, "dan")).isEqualTo("dan");
		assertThat(DisplayNames.clean("\n\t ", "dan")).isEqualTo("dan");
	}

	@Test
	void aLongNameIsCutAt64CharactersWithoutSplittingOne() {
		String cleaned = DisplayNames.clean("🎸".repeat(70), "dan");
		assertThat(cleaned.codePointCount(0, cleaned.length())).isEqualTo(64);
		assertThat(cleaned).isEqualTo("🎸".repeat(64));
	}

}
