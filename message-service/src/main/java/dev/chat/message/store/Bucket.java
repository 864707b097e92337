package dev.chat.message.store;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import org.bson.Document;

/**
 * One document of a room's sequence: the entries whose seq divided by {@link #SIZE} is
 * {@link #number()}, in seq order, under {@code _id = "{roomId}:{number}"}. Bucket 0 holds seqs
 * 1-63, bucket 1 seqs 64-127, and so on; which bucket holds a seq is computed, never searched.
 *
 * @param roomId the room
 * @param number the bucket's number
 * @param entries the entries, each seq once
 * @param positions for each entry of {@code entries}, its index in the stored array (the path
 * an in-place update names)
 */
public record Bucket(String roomId, long number, List<Entry> entries, List<Integer> positions) {

	/** Entries per bucket: 64 messages of at most 4,000 characters stay far below 16 MB. */
	public static final int SIZE = 64;

	public Bucket {
		entries = List.copyOf(entries);
		positions = List.copyOf(positions);
	}

	public static long numberOf(long seq) {
		return seq / SIZE;
	}

	/** The first seq a bucket can hold (bucket 0 starts at 1: seqs start at 1). */
	public static long firstSeq(long number) {
		return Math.max(1, number * SIZE);
	}

	public static long lastSeq(long number) {
		return number * SIZE + SIZE - 1;
	}

	static String id(String roomId, long number) {
		return roomId + ":" + number;
	}

	static Bucket empty(String roomId, long number) {
		return new Bucket(roomId, number, List.of(), List.of());
	}

	/**
	 * Decodes a stored bucket. Should an attempt that was given up on (a timeout) have appended
	 * after its retry did, a seq would be stored twice; the first copy is the one every reader
	 * and every in-place update uses, so all of them agree.
	 */
	static Bucket decode(String roomId, long number, Document doc) {
		if (doc == null) {
			return empty(roomId, number);
		}
		List<String> stored = doc.getList(EntryCodec.ENTRIES, String.class, Collections.emptyList());
		List<Entry> entries = new ArrayList<>(stored.size());
		List<Integer> positions = new ArrayList<>(stored.size());
		long last = 0;
		for (int i = 0; i < stored.size(); i++) {
			Entry entry = EntryCodec.decode(roomId, stored.get(i));
			if (entry.seq() > last) {
				entries.add(entry);
				positions.add(i);
				last = entry.seq();
			}
		}
		return new Bucket(roomId, number, entries, positions);
	}

	public Optional<Entry> entry(long seq) {
		int index = find(seq);
		return index < 0 ? Optional.empty() : Optional.of(entries.get(index));
	}

	/** The index of {@code seq}'s entry in the stored array, or -1. */
	int position(long seq) {
		int index = find(seq);
		return index < 0 ? -1 : positions.get(index);
	}

	private int find(long seq) {
		int low = 0;
		int high = entries.size() - 1;
		while (low <= high) {
			int mid = (low + high) >>> 1;
			long at = entries.get(mid).seq();
			if (at < seq) {
				low = mid + 1;
			}
			else if (at > seq) {
				high = mid - 1;
			}
			else {
				return mid;
			}
		}
		return -1;
	}

}
