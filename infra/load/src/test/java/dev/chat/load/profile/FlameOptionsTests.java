package dev.chat.load.profile;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class FlameOptionsTests {

	@Test
	void theCollapsedStacksGoNextToTheSvgUnderTheSameName() {
		FlameOptions options = FlameOptions.parse("gw.jfr", "out/flame.svg", "--thread=reactor-http", "--title=fan-out");

		assertThat(options.collapsed()).isEqualTo(Path.of("out/flame.collapsed"));
		assertThat(options.title()).isEqualTo("fan-out");
		assertThat(options.thread()).hasValueSatisfying(p -> assertThat(p.matcher("reactor-http-epoll-2").find()).isTrue());
		assertThat(options.include()).isEmpty();
	}

	@Test
	void theTitleDefaultsToTheRecordingsName() {
		assertThat(FlameOptions.parse("/tmp/gw.jfr", "flame").title()).isEqualTo("Flame graph: gw.jfr");
		assertThat(FlameOptions.parse("/tmp/gw.jfr", "flame").collapsed()).isEqualTo(Path.of("flame.collapsed"));
	}

	@Test
	void anUnknownOptionOrABadRegexIsRefusedByName() {
		assertThatIllegalArgumentException().isThrownBy(() -> FlameOptions.parse("a.jfr", "b.svg", "--min=1"))
			.withMessageContaining("--min=1");
		assertThatIllegalArgumentException().isThrownBy(() -> FlameOptions.parse("a.jfr", "b.svg", "--include=("))
			.withMessageContaining("--include=(");
		assertThatIllegalArgumentException().isThrownBy(() -> FlameOptions.parse("a.jfr"));
	}

}
