package dev.chat.gateway.socket;

import java.util.ArrayList;
import java.util.List;

/**
 * The last events of one room as this node's fan-out saw them, without a gap: what lets a
 * client that reconnects with {@code sinceSeq} a few messages behind recover from memory, with
 * no request to message-service (a reconnect storm after a node failure is thousands of such
 * subscribes at once). Seqs are held only while contiguous; a gap (an event this node never
 * saw) starts the window again at the new event. Not thread-safe: {@link RoomChannel} guards it.
 */
final class RecentEvents {

	private final int capacity;

	/** Grows to {@link #capacity} as events come: a quiet room holds a small array. */
	private EncodedFrame[] frames;

	/** Seq of the oldest frame held; meaningful while {@link #count} is positive. */
	private long firstSeq;

	private int count;

	/** Index of the oldest frame. */
	private int start;

	RecentEvents(int capacity) {
		this.capacity = capacity;
		this.frames = new EncodedFrame[Math.min(capacity, 8)];
	}

	/**
	 * Adds the event that follows the last one held, or starts over after a gap. An event at or
	 * before the last one held (a re-published one) changes nothing.
	 */
	void add(long seq, EncodedFrame frame) {
		if (capacity == 0 || count > 0 && seq < firstSeq + count) {
			return;
		}
		if (count > 0 && seq > firstSeq + count) {
			clear();
		}
		if (count == 0) {
			firstSeq = seq;
		}
		if (count == frames.length && frames.length < capacity) {
			grow();
		}
		if (count == frames.length) {
			frames[start].release();
			frames[start] = null;
			start = (start + 1) % frames.length;
			firstSeq++;
			count--;
		}
		frames[(start + count) % frames.length] = frame.retain();
		count++;
	}

	/**
	 * The frames after {@code sinceSeq}, retained for the caller, or null when this window does
	 * not start early enough. The window may end before {@code head}: message-service's answer can
	 * be ahead of this node's fan-out, and the events in between are then still on their way in
	 * the room's partition, behind the ones held here, so they arrive live.
	 */
	List<Sequenced> after(long sinceSeq, long head) {
		if (sinceSeq >= head) {
			return List.of();
		}
		if (count == 0 || sinceSeq + 1 < firstSeq) {
			return null;
		}
		long last = Math.min(head, firstSeq + count - 1);
		List<Sequenced> result = new ArrayList<>((int) Math.max(0, last - sinceSeq));
		for (long seq = sinceSeq + 1; seq <= last; seq++) {
			EncodedFrame frame = frames[(int) ((start + (seq - firstSeq)) % frames.length)];
			result.add(new Sequenced(seq, frame.retain()));
		}
		return result;
	}

	private void grow() {
		EncodedFrame[] larger = new EncodedFrame[Math.min(capacity, frames.length * 2)];
		for (int i = 0; i < count; i++) {
			larger[i] = frames[(start + i) % frames.length];
		}
		frames = larger;
		start = 0;
	}

	void clear() {
		for (int i = 0; i < count; i++) {
			int index = (start + i) % frames.length;
			frames[index].release();
			frames[index] = null;
		}
		count = 0;
		start = 0;
	}

	/** A frame and its seq. */
	record Sequenced(long seq, EncodedFrame frame) {
	}

}
