package dev.chat.load.profile;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StacksTests {

	private final Stacks stacks = Stacks.parse("""
			main;a;b 3
			main;a;c 2
			main;a 1
			main;d;a;b 4
			main;r;r;r 5
			""");

	@Test
	void stacksSharingAPrefixMergeIntoOneNodeWithInclusiveAndSelfCounts() {
		FrameNode root = FrameNode.of(stacks);

		FrameNode a = root.child("main").child("a");

		assertThat(root.total()).isEqualTo(15);
		assertThat(root.child("main").total()).isEqualTo(15);
		assertThat(a.total()).isEqualTo(6);
		assertThat(a.self()).isEqualTo(1);
		assertThat(a.children()).extracting(FrameNode::name).containsExactly("b", "c");
		assertThat(a.child("b").total()).isEqualTo(3);
		assertThat(root.child("main").child("d").child("a").child("b").self()).isEqualTo(4);
	}

	@Test
	void aFrameUnderManyCallersCountsAllItsSamplesAndARecursiveOneCountsEachSampleOnce() {
		FrameCounts counts = FrameCounts.of(stacks);

		assertThat(counts.count("a")).isEqualTo(new FrameCounts.Count("a", 1, 10));
		assertThat(counts.count("b")).isEqualTo(new FrameCounts.Count("b", 7, 7));
		assertThat(counts.count("r")).isEqualTo(new FrameCounts.Count("r", 5, 5));
		assertThat(counts.count("main")).isEqualTo(new FrameCounts.Count("main", 0, 15));
		assertThat(counts.topBySelf(15)).extracting(FrameCounts.Count::frame).containsExactly("b", "r", "c", "a");
		assertThat(counts.topByTotal(2)).extracting(FrameCounts.Count::frame).containsExactly("main", "a");
		assertThat(counts.markdown(2)).contains("| 1 | `b` | 7 | 46.67 | 46.67 |")
			.contains("| 1 | `main` | 15 | 100.00 | 0.00 |");
	}

	@Test
	void theSameStackAddedTwiceIsOneLineWithTheSumAndTheLinesAreSorted() {
		Stacks twice = new Stacks();
		twice.add(List.of("z", "y"), 1);
		twice.add(List.of("a", "b"), 2);
		twice.add(List.of("z", "y"), 3);

		assertThat(twice.collapsed()).isEqualTo("a;b 2\nz;y 4\n");
		assertThat(twice.total()).isEqualTo(6);
	}

	@Test
	void anIncludeFilterKeepsWholeStacksWithAMatchingFrame() {
		Stacks kept = stacks.containing(java.util.regex.Pattern.compile("^d$"));

		assertThat(kept.collapsed()).isEqualTo("main;d;a;b 4\n");
	}

	@Test
	void framesNarrowerThanTheMinimumAreLeftOutWithWhatIsAboveThem() {
		FlameLayout layout = FlameLayout.of(FrameNode.of(stacks), 3);

		assertThat(layout.boxes()).extracting(FlameLayout.Box::name)
			.containsExactly("all", "main", "a", "b", "d", "a", "b", "r", "r", "r");
		assertThat(layout.boxes()).filteredOn(box -> box.name().equals("d"))
			.singleElement()
			.satisfies(d -> assertThat(d.start()).isEqualTo(6));
		assertThat(layout.depth()).isEqualTo(5);
	}

}
