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
	 */
	public record Heard(Instant receivedAt, Instant sentAt) {
	}

	void heartbeat(String nodeId, Instant sentAt, Instant receivedAt) {
		heard.merge(nodeId, new Heard(receivedAt, sentAt),
				(old, now) -> new Heard(now.receivedAt, later(old.sentAt, now.sentAt)));
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

	/** The last heartbeat of the node read since this process started, or null. */
	public Heard lastHeard(String nodeId) {
		return heard.get(nodeId);
	}

	private static Instant later(Instant a, Instant b) {
		return a == null ? b : (b == null || a.isAfter(b) ? a : b);
	}

}
