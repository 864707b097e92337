package dev.chat.presence.store;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import org.springframework.stereotype.Component;

/**
 * Runs the updates of one document one at a time within this service instance. Every caller is
 * a worker thread (a listener, the drop thread, the grace thread), never an event loop, so it
 * simply waits for its turn.
 *
 * <p>
 * Why: FerretDB 1.24 on SQLite, the local store, applies an update operator by reading the
 * document, changing it in Go and writing it back whole, with nothing to stop another writer in
 * between (room-service measured 200 concurrent {@code $inc} of one field ending at 18). Two
 * users coming online in one room at once would lose one of the two {@code $set}s. Two concurrent
 * upserts of a document that does not exist yet make one fail with a duplicate key, in a reply
 * the Java driver cannot parse, so the write never completes. On MongoDB the operators are atomic
 * and this costs only a little parallelism on a busy room. The lock is per JVM, which is enough:
 * every shared document is split by partition of {@code chat.presence.events} and written by the
 * partition's owner only ({@link dev.chat.presence.partition.PartitionOwnership}), so its writers
 * are the threads of one instance.
 *
 * <p>
 * Striped: two documents may share a lock, which only makes one wait. Never hold one of these
 * locks while taking another lock.
 */
@Component
public class DocumentLocks {

	private static final int STRIPES = 4096;

	private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

	public DocumentLocks() {
		for (int i = 0; i < STRIPES; i++) {
			locks[i] = new ReentrantLock();
		}
	}

	/** Runs {@code update} of the document {@code id} of {@code collection} alone. */
	public <T> T update(String collection, String id, Supplier<T> update) {
		ReentrantLock lock = locks[Math.floorMod((collection + '/' + id).hashCode(), STRIPES)];
		lock.lock();
		try {
			return update.get();
		}
		finally {
			lock.unlock();
		}
	}

}
