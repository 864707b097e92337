package dev.chat.load.report;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TableTests {

	@Test
	void columnsArePaddedToTheirWidestCell() {
		String markdown = new Table("t", List.of("a", "bb"), List.of(List.of("long", "1"))).markdown();

		assertThat(markdown).contains("| a    | bb |\n|------|----|\n| long | 1  |\n");
	}

}
