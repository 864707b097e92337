package dev.chat.common.events;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * What gateway nodes tell presence-service on {@code chat.presence.events}: which connections
 * exist and what they are subscribed to. Keyed by {@code userId} (a heartbeat by its
 * {@code nodeId}), so one user's signals arrive in the order the node sent them.
 *
 * <p>
 * {@code incarnation} is random per start of a gateway process: signals and heartbeats of a
 * node's new incarnation tell presence-service that every connection of an older one is gone,
 * even if the node came back faster than the heartbeat timeout.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({ @JsonSubTypes.Type(value = PresenceSignal.Connected.class, name = "connection.opened"),
		@JsonSubTypes.Type(value = PresenceSignal.Disconnected.class, name = "connection.closed"),
		@JsonSubTypes.Type(value = PresenceSignal.Subscribed.class, name = "room.subscribed"),
		@JsonSubTypes.Type(value = PresenceSignal.Unsubscribed.class, name = "room.unsubscribed"),
		@JsonSubTypes.Type(value = PresenceSignal.NodeHeartbeat.class, name = "node.heartbeat") })
public sealed interface PresenceSignal {

	String nodeId();

	String incarnation();

	Instant occurredAt();

	/** A socket was opened. */
	record Connected(String nodeId, String incarnation, Instant occurredAt, String connectionId, String userId,
			String username) implements PresenceSignal {
	}

	/** A socket was closed (every subscription of it ends with it). */
	record Disconnected(String nodeId, String incarnation, Instant occurredAt, String connectionId, String userId)
			implements PresenceSignal {
	}

	/** A connection subscribed to a room (membership was checked). */
	record Subscribed(String nodeId, String incarnation, Instant occurredAt, String connectionId, String userId,
			String username, String roomId) implements PresenceSignal {
	}

	/** A connection stopped its subscription to a room. */
	record Unsubscribed(String nodeId, String incarnation, Instant occurredAt, String connectionId, String userId,
			String roomId) implements PresenceSignal {
	}

	/**
	 * The node is alive, sent every few seconds. A node silent for the timeout (15 s) is dead:
	 * all its connections are dropped.
	 *
	 * @param connections how many sockets the node holds, for operators
	 */
	record NodeHeartbeat(String nodeId, String incarnation, Instant occurredAt, int connections)
			implements PresenceSignal {
	}

}
