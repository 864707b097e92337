package dev.chat.presence.tracking;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import dev.chat.presence.PresenceProperties;
import dev.chat.presence.node.NodeLiveness;
import dev.chat.presence.node.NodeRegistry;

/**
 * Declares dead a node not heard from for the timeout, and drops all its connections at once
 * (its users have been gone for the whole timeout already, so without a grace period).
 *
 * <p>
 * "Not heard from" counts from the latest of: the node's last heartbeat read by this process,
 * when this process started listening for heartbeats, and when the node was registered or
 * loaded. So a restart of this service never kills a node: each gets a full timeout, in which its
 * next heartbeats arrive. While the heartbeat watcher is not reading (Kafka unreachable), no node
 * is judged at all: silence then says nothing about the nodes.
 *
 * <p>
 * It also admits the incarnations the watcher heard (a heartbeat's partition may belong to
 * another instance, whose listener then is the only one to read it as a signal): so every instance
 * learns within a check interval that a node restarted (and drops its previous incarnation's
 * connections in its own partitions) or came back.
 */
@Component
class NodeFailureDetector {

	private static final Logger log = LoggerFactory.getLogger(NodeFailureDetector.class);

	private final NodeRegistry registry;

	private final NodeLiveness liveness;

	private final PresenceTracker tracker;

	private final Duration timeout;

	private final Clock clock;

	NodeFailureDetector(NodeRegistry registry, NodeLiveness liveness, PresenceTracker tracker,
			PresenceProperties properties, Clock clock) {
		this.registry = registry;
		this.liveness = liveness;
		this.tracker = tracker;
		this.timeout = properties.nodes().timeout();
		this.clock = clock;
	}

	@Scheduled(fixedDelayString = "${chat.presence.nodes.check-interval:1s}")
	void check() {
		Instant now = clock.instant();
		Instant listeningSince = liveness.listeningSince();
		Instant lastPoll = liveness.lastPoll();
		if (listeningSince == null || lastPoll == null || lastPoll.plus(timeout.dividedBy(2)).isBefore(now)) {
			return;
		}
		// A heartbeat of an incarnation this instance has not admitted (it was read on a partition
		// another instance owns): a node restarted, or back from the dead.
		liveness.heard().forEach((nodeId, heard) -> {
			if (!registry.isCurrent(nodeId, heard.incarnation())) {
				tracker.heard(nodeId, heard.incarnation(), heard.sentAt());
			}
		});
		for (NodeRegistry.Live node : registry.live()) {
			NodeLiveness.Heard heard = liveness.lastHeard(node.nodeId());
			Instant lastSign = latest(latest(node.since(), listeningSince), heard == null ? null : heard.receivedAt());
			if (lastSign.plus(timeout).isBefore(now)
					&& registry.retireSilent(node.nodeId(), node.incarnation(), heard == null ? null : heard.sentAt())) {
				log.atWarn()
					.addKeyValue("nodeId", node.nodeId())
					.addKeyValue("incarnation", node.incarnation())
					.addKeyValue("silentForMs", Duration.between(lastSign, now).toMillis())
					.log("node declared dead: no heartbeat within the timeout");
				tracker.dropLater(node.nodeId(), node.incarnation(), Duration.ZERO);
			}
		}
	}

	private static Instant latest(Instant a, Instant b) {
		return b == null || a.isAfter(b) ? a : b;
	}

}
