package dev.chat.stack;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaBrokerTests {

	@Test
	void theClusterIdIsTheSameForAStateDirectoryAndNeverReadsAsAnOption() {
		// This directory's id started with '-' before the top bit was cleared.
		assertThat(KafkaBroker.clusterId(Path.of("/work/main/.local/test-stack-recovery"))).doesNotStartWith("-");
		Set<String> ids = new HashSet<>();
		for (int i = 0; i < 2_000; i++) {
			String id = KafkaBroker.clusterId(Path.of("/stack-" + i));
			assertThat(id).doesNotStartWith("-").isEqualTo(KafkaBroker.clusterId(Path.of("/stack-" + i)));
			ids.add(id);
		}
		assertThat(ids).hasSize(2_000);
	}

}
