package dev.chat.presence.node;

/** What the registry says about a signal from a node's incarnation. */
public sealed interface Admission {

	/** The incarnation is the node's current one: apply the signal. */
	record Accepted() implements Admission {
	}

	/**
	 * The incarnation is retired (replaced by a newer one, or dead): its connections are gone or
	 * being dropped, so the signal is stale and must change nothing.
	 */
	record Ignored() implements Admission {
	}

	/**
	 * The incarnation is new and replaced {@code previous}, whose connections must now be dropped;
	 * apply the signal.
	 */
	record Replaced(String nodeId, String previous) implements Admission {
	}

}
