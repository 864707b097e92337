package dev.chat.load.profile;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FramesTests {

	@Test
	void generatedClassNamesLoseTheirAddressesAndCounters() {
		assertThat(Frames.normalise("dev.chat.gateway.Fanout$$Lambda.0x000000a001234c08"))
			.isEqualTo("dev.chat.gateway.Fanout$$Lambda");
		assertThat(Frames.normalise("dev.chat.gateway.Fanout$$Lambda$14/0x0000000800c0b040"))
			.isEqualTo("dev.chat.gateway.Fanout$$Lambda");
		assertThat(Frames.normalise("java.lang.invoke.LambdaForm$MH.0x00007f0001001c00"))
			.isEqualTo("java.lang.invoke.LambdaForm$MH");
		assertThat(Frames.normalise("jdk.proxy2.$Proxy57")).isEqualTo("jdk.proxy2.$Proxy");
		assertThat(Frames.normalise("dev.chat.Config$$SpringCGLIB$$0")).isEqualTo("dev.chat.Config$$SpringCGLIB");
		assertThat(Frames.normalise("io.netty.channel.DefaultChannelPipeline$HeadContext"))
			.isEqualTo("io.netty.channel.DefaultChannelPipeline$HeadContext");
	}

}
