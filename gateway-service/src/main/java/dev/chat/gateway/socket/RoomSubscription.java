package dev.chat.gateway.socket;

import java.util.ArrayList;
import java.util.List;

/**
 * One session's subscription to one room, and the rule that makes recovery gap-free and
 * duplicate-free: while the replay of stored events runs, live events for the room are held
 * back; when the replay ends, the held events newer than the last replayed seq are delivered
 * in order, and from then on an event is delivered only if its seq is newer than the last one
 * delivered. Seq is the room's order, the same on every node, so this never reorders.
 */
final class RoomSubscription {

	private record Held(long seq, EncodedFrame frame) {
	}

	private final ClientSession session;

	private final String roomId;

	/** Events held back until the subscription goes live; allocated when the first one arrives. */
	private List<Held> held;

	private boolean live;

	private boolean discarded;

	private long lastDelivered;

	RoomSubscription(ClientSession session, String roomId) {
		this.session = session;
		this.roomId = roomId;
	}

	ClientSession session() {
		return session;
	}

	String roomId() {
		return roomId;
	}

	/** A replayed event, sent before going live. */
	synchronized void replayed(long seq, EncodedFrame frame) {
		if (seq > lastDelivered) {
			session.send(frame);
			lastDelivered = seq;
		}
	}

	/** Marks everything up to {@code seq} as already known to the client (a subscribe without replay). */
	synchronized void knownUpTo(long seq) {
		lastDelivered = Math.max(lastDelivered, seq);
	}

	/** The replay is done: deliver what was held back, then deliver live. */
	synchronized void goLive() {
		live = true;
		if (held == null) {
			return;
		}
		for (Held event : held) {
			live(event.seq(), event.frame());
			event.frame().release();
		}
		held = null;
	}

	/** A live sequence event from the fan-out; false when it was dropped as already delivered. */
	synchronized boolean live(long seq, EncodedFrame frame) {
		if (discarded) {
			return false;
		}
		if (!live) {
			if (held == null) {
				held = new ArrayList<>();
			}
			held.add(new Held(seq, frame.retain()));
			return true;
		}
		if (seq > lastDelivered) {
			session.send(frame);
			lastDelivered = seq;
			return true;
		}
		return false;
	}

	/** A frame outside the sequence (presence, typing, member changes): delivered once live. */
	synchronized void unsequenced(EncodedFrame frame) {
		if (live && !discarded) {
			session.send(frame);
		}
	}

	/** The subscription ended before going live: let go of what was held. */
	synchronized void discard() {
		if (held != null) {
			held.forEach(event -> event.frame().release());
			held = null;
		}
		discarded = true;
	}

}
