package dev.chat.load.profile;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FlameSvgTests {

	@Test
	void aLabelTooLongForItsFrameDropsThePackageBeforeItIsCut() {
		String name = "java.lang.String.valueOf";

		assertThat(FlameSvg.label(name, 400)).isEqualTo(name);
		assertThat(FlameSvg.label(name, 110)).isEqualTo("String.valueOf");
		assertThat(FlameSvg.label(name, 60)).isEqualTo("Strin..");
		assertThat(FlameSvg.label(name, 20)).isEmpty();
		assertThat(FlameSvg.label("all", 30)).isEqualTo("all");
	}

	@Test
	void ourCodeHasAFamilyOfItsOwn() {
		assertThat(Family.of("dev.chat.gateway.X.y")).isEqualTo(Family.OURS);
		assertThat(Family.of("io.netty.buffer.X.y")).isEqualTo(Family.NETTY);
		assertThat(Family.of("tools.jackson.core.X.y")).isEqualTo(Family.JACKSON);
		assertThat(Family.of("java.lang.Thread.run")).isEqualTo(Family.JDK);
		assertThat(Family.of("org.bson.X.y")).isEqualTo(Family.OTHER);
	}

}
