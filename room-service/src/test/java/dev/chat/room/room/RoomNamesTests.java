package dev.chat.room.room;

import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RoomNamesTests {

	@Test
	void namesThatDifferOnlyInCaseOrWidthShareAKey() {
		assertThat(RoomNames.key("Design")).isEqualTo(RoomNames.key("DESIGN")).isEqualTo(RoomNames.key(" design "));
		assertThat(RoomNames.key("Straße")).isEqualTo(RoomNames.key("STRASSE"));
		assertThat(RoomNames.key("ＡＢＣ")).isEqualTo(RoomNames.key("abc"));
		assertThat(RoomNames.key("design")).isNotEqualTo(RoomNames.key("designs"));
	}

	@Test
	void cleaningStripsSurroundingWhiteSpaceOnly() {
		assertThat(RoomNames.clean("  Team  Room\t")).isEqualTo("Team  Room");
	}

	@Test
	void controlCharactersAndDirectionOverridesAreNotAllowed() {
		Pattern allowed = Pattern.compile(RoomNames.ALLOWED);
		assertThat(allowed.matcher("Café ☕ 42").matches()).isTrue();
		assertThat(allowed.matcher("a\u0000b").matches()).isFalse();
		assertThat(allowed.matcher("a\nb").matches()).isFalse();
		assertThat(allowed.matcher("a\u2028b").matches()).isFalse();
		assertThat(allowed.matcher("gpj.\u202Eexe").matches()).isFalse();
		assertThat(allowed.matcher("\u2066x\u2069").matches()).isFalse();
	}

	@Test
	void searchTextIsMatchedLiterally() {
		String text = "a.c (1+1)? [x] {2} ^$ | \\ / -";
		Pattern pattern = Pattern.compile(Rooms.literal(text));

		assertThat(pattern.matcher("room " + text + " end").find()).isTrue();
		assertThat(Pattern.compile(Rooms.literal("a.c")).matcher("abc").find()).isFalse();
	}

}
