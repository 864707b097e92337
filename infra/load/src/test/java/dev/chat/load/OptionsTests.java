package dev.chat.load;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class OptionsTests {

	@Test
	void givenOptionsOverrideTheDefaultsAndEveryDefaultIsKept() {
		Options options = Options.parse("fanout", List.of("--subscribers=20", "--pin"),
				Scenarios.ALL.get("fanout").defaults());

		assertThat(options.integer("subscribers")).isEqualTo(20);
		assertThat(options.flag("pin")).isTrue();
		assertThat(options.integers("rates")).containsExactly(25, 50, 100, 200, 400);
		assertThat(options.duration("step")).isEqualTo(Duration.ofSeconds(20));
	}

	@Test
	void smokeShrinksWhatWasNotGiven() {
		Options options = Options.parse("connections", List.of("--smoke", "--n=7"),
				Scenarios.ALL.get("connections").defaults());

		assertThat(options.integer("n")).isEqualTo(7);
		assertThat(options.duration("hold")).isEqualTo(Duration.ofSeconds(1));
	}

	@Test
	void anUnknownOptionIsAnError() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Options.parse("history", List.of("--nope=1"), Scenarios.ALL.get("history").defaults()))
			.withMessageContaining("--nope");
	}

}
