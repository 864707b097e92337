package dev.chat.common.mongo;

import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BulkWritesTests {

	@Test
	void statementsAreCutIntoConsecutiveCommandsOfAtMostSixteen() {
		List<Integer> writes = IntStream.range(0, 100).boxed().toList();

		List<List<Integer>> commands = BulkWrites.commands(writes);

		assertThat(commands).hasSize(7).allSatisfy(command -> assertThat(command).hasSizeLessThanOrEqualTo(16));
		assertThat(commands.stream().flatMap(List::stream)).containsExactlyElementsOf(writes);
	}

	@Test
	void fewStatementsAreOneCommand() {
		assertThat(BulkWrites.commands(List.of(1, 2, 3))).containsExactly(List.of(1, 2, 3));
		assertThat(BulkWrites.commands(IntStream.range(0, 16).boxed().toList())).hasSize(1);
		assertThat(BulkWrites.commands(List.of())).isEmpty();
	}

}
