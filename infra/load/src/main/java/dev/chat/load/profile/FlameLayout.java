package dev.chat.load.profile;

import java.util.ArrayList;
import java.util.List;

/**
 * Where each frame goes, in samples rather than pixels: a frame starts where its previous sibling
 * ended, at its parent's start for the first. Frames narrower than {@code minSamples} are left out
 * with everything above them: at 0.1 % of 1,200 pixels a frame is a hairline, and thousands of
 * them would make the SVG heavy without showing anything.
 *
 * @param boxes the frames kept, parents before their children
 * @param depth the number of levels kept, the root's included
 */
record FlameLayout(List<Box> boxes, int depth) {

	/** One frame: {@code start} samples from the left edge, {@code level} 0 for the root. */
	record Box(String name, long start, long total, long self, int level) {
	}

	static FlameLayout of(FrameNode root, long minSamples) {
		List<Box> boxes = new ArrayList<>();
		int depth = place(root, 0, 0, Math.max(1, minSamples), boxes);
		return new FlameLayout(List.copyOf(boxes), depth);
	}

	private static int place(FrameNode node, long start, int level, long minSamples, List<Box> boxes) {
		if (node.total() < minSamples) {
			return 0;
		}
		boxes.add(new Box(node.name(), start, node.total(), node.self(), level));
		int depth = 1;
		long next = start;
		for (FrameNode child : node.children()) {
			depth = Math.max(depth, 1 + place(child, next, level + 1, minSamples, boxes));
			next += child.total();
		}
		return depth;
	}

}
