package dev.chat.load.profile;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The stacks merged into a tree: the samples of every stack sharing a prefix land on the same
 * nodes. Children are in name order, as in {@code flamegraph.pl}: the x axis is not time, and
 * sorting keeps the same frame at the same place across graphs of similar runs.
 */
final class FrameNode {

	static final String ROOT = "all";

	private final String name;

	private final Map<String, FrameNode> children = new TreeMap<>();

	private long total;

	private long self;

	private FrameNode(String name) {
		this.name = name;
	}

	static FrameNode of(Stacks stacks) {
		FrameNode root = new FrameNode(ROOT);
		stacks.forEach(root::add);
		return root;
	}

	private void add(List<String> rootFirst, long samples) {
		FrameNode node = this;
		node.total += samples;
		for (String frame : rootFirst) {
			node = node.children.computeIfAbsent(frame, FrameNode::new);
			node.total += samples;
		}
		node.self += samples;
	}

	String name() {
		return name;
	}

	/** Samples with this node on the stack: its own plus its children's. */
	long total() {
		return total;
	}

	/** Samples where this node was the leaf, on CPU itself. */
	long self() {
		return self;
	}

	Collection<FrameNode> children() {
		return children.values();
	}

	FrameNode child(String name) {
		return children.get(name);
	}

}
