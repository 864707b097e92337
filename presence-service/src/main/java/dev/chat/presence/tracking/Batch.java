package dev.chat.presence.tracking;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The changes of several users, gathered to be written together: one write per document touched
 * (a room's online list changed by twenty users is updated once), instead of one per user and
 * signal. On FerretDB every write is a rewrite of its document, so this is what sustains bursts.
 */
final class Batch {

	/** One user: as stored before the batch, as it is to be stored, and what to publish. */
	record Change(UserPresence before, UserPresence after, List<RoomChange> changes) {

		String userId() {
			return after.userId();
		}

		/** The user's partition of {@code chat.presence.events}: its owner writes the change. */
		int partition() {
			return after.partition();
		}

		boolean isChange() {
			return !after.equals(before);
		}

	}

	private final Map<String, Change> users = new LinkedHashMap<>();

	void add(UserPresence before, UserPresence after, List<RoomChange> changes) {
		users.merge(after.userId(), new Change(before, after, List.copyOf(changes)), (earlier, later) -> {
			List<RoomChange> all = new ArrayList<>(earlier.changes());
			all.addAll(later.changes());
			return new Change(earlier.before(), later.after(), all);
		});
	}

	void add(UserPresence before, UserPresence.Reconciliation reconciliation) {
		add(before, reconciliation.next(), reconciliation.changes());
	}

	Collection<Change> changes() {
		return users.values().stream().filter(Change::isChange).toList();
	}

	Collection<String> userIds() {
		return users.keySet();
	}

}
