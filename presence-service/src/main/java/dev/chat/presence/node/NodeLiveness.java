package dev.chat.presence.node;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/**
 * When each node was last heard from, on this process's clock (so gateways' clocks do not
 * matter), as seen by the {@link HeartbeatWatcher}. In memory only: after a restart every node
 * starts from when the watcher started listening again.
 */
@Component
public class NodeLiveness {

	private final Map<String, Heard> heard = new ConcurrentHashMap<>();

	private volatile Instant listeningSince;

	private volatile Instant lastPoll;

	/**
	 * @param receivedAt when this process read the heartbeat
	 * @param sentAt when the node sent it, on the node's clock
	 * @param incarnation the incarnation of the node that sent the last heartbeat read
	 */
	public record Heard(Instant receivedAt, Instant sentAt, String incarnation) {
	}

	void heartbeat(String nodeId, String incarnation, Instant sentAt, Instant receivedAt) {
		heard.merge(nodeId, new Heard(receivedAt, sentAt, incarnation),
				(old, now) -> new Heard(now.receivedAt, later(old.sentAt, now.sentAt), now.incarnation));
	}

	void listening(Instant since) {
		listeningSince = since;
		lastPoll = since;
	}

	void polled(Instant at) {
		lastPoll = at;
	}

	void deaf() {
		listeningSince = null;
	}

	/**
	 * When the watcher started reading heartbeats from the current end of the topic, or null while
	 * it does not: no node may be judged then.
	 */
	public Instant listeningSince() {
		return listeningSince;
	}

	/** When the watcher last read the topic successfully (null before it first did). */
	public Instant lastPoll() {
		return lastPoll;
	}

	/** Every node heard from since this process started, by node id. */
	public Map<String, Heard> heard() {
		return Map.copyOf(heard);
	}

	/** The last heartbeat of the node read since this process started, or null. */
	public Heard lastHeard(String nodeId) {
		return heard.get(nodeId);
	}

	private static Instant later(Instant a, Instant b) {
		return a == null ? b : (b == null || a.isAfter(b) ? a : b);
	}

}
