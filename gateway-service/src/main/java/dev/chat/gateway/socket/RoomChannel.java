package dev.chat.gateway.socket;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A room as one node knows it: the sessions subscribed here, the room's head seq and its
 * recent events, both taken from the fan-out stream. Knowing the head lets a subscribe be
 * confirmed without asking message-service; the recent events let a recovery be replayed from
 * memory.
 *
 * <p>
 * Why the head is exact: the fan-out observes every event of the room from the moment this
 * channel exists, and message-service's answer ({@link #learned}) covers everything before it.
 * The head is the larger of the two, so once learned it is the room's last seq as of this
 * node's consumer position. A subscription is registered before the head is read, and the
 * fan-out observes an event before delivering it, so an event is either at most the head the
 * new subscriber is told (and in history) or delivered to it live: never neither.
 */
final class RoomChannel {

	private final String roomId;

	private final ConcurrentHashMap<ClientSession, RoomSubscription> subscribers = new ConcurrentHashMap<>();

	private final RecentEvents recent;

	/** Guarded by this. -1 until anything is known. */
	private long head = -1;

	/** Guarded by this: message-service's answer has been folded in. */
	private boolean known;

	/** When the last subscriber left (nanoTime), 0 while there are subscribers. */
	private volatile long idleSince;

	RoomChannel(String roomId, int recentEvents) {
		this.roomId = roomId;
		this.recent = new RecentEvents(recentEvents);
	}

	String roomId() {
		return roomId;
	}

	Collection<RoomSubscription> subscribers() {
		return subscribers.values();
	}

	void add(RoomSubscription subscription) {
		idleSince = 0;
		subscribers.put(subscription.session(), subscription);
	}

	boolean remove(ClientSession session) {
		boolean removed = subscribers.remove(session) != null;
		markIfIdle();
		return removed;
	}

	/** Removes this subscription only (not a newer one of the same session). */
	void remove(RoomSubscription subscription) {
		subscribers.remove(subscription.session(), subscription);
		markIfIdle();
	}

	private void markIfIdle() {
		if (subscribers.isEmpty()) {
			idleSince = System.nanoTime();
		}
	}

	/** True when no one has been subscribed for longer than {@code lingerNanos}. */
	boolean idleLongerThan(long lingerNanos, long nowNanos) {
		long since = idleSince;
		return subscribers.isEmpty() && since != 0 && nowNanos - since > lingerNanos;
	}

	/** A sequence event from the fan-out, before it is delivered; false for a seq already seen. */
	synchronized boolean observe(long seq, EncodedFrame frame) {
		// Kept even when message-service's answer already put the head past it: the window must
		// stay without a gap to serve a recovery.
		recent.add(seq, frame);
		if (seq <= head) {
			return false;
		}
		head = seq;
		return true;
	}

	/** message-service's last seq of the room, asked after this channel existed. */
	synchronized long learned(long lastSeq) {
		head = Math.max(head, lastSeq);
		known = true;
		return head;
	}

	/** The head, or -1 when this node cannot vouch for it yet. */
	synchronized long knownHead() {
		return known ? head : -1;
	}

	/**
	 * The events after {@code sinceSeq} from memory (retained for the caller) and the head they
	 * end at, or null when memory does not cover them.
	 */
	synchronized Replay replayFromMemory(long sinceSeq) {
		if (!known || sinceSeq > head) {
			return null;
		}
		List<RecentEvents.Sequenced> events = recent.after(sinceSeq, head);
		return events == null ? null : new Replay(head, events);
	}

	synchronized void release() {
		recent.clear();
	}

	/** Events to replay, and the head they reach. */
	record Replay(long head, List<RecentEvents.Sequenced> events) {
	}

}
