package dev.chat.presence.tracking;

import java.util.Collection;
import java.util.concurrent.locks.ReentrantLock;

import org.springframework.stereotype.Component;

/**
 * One lock per user (striped): everything that reads and rewrites a user's document (a batch of
 * signals, a node's drop, a grace check) holds it, so no decision about a user is made on a stale
 * read. A user's signals already arrive on one listener thread; the drops and grace checks run on
 * others.
 */
@Component
class UserLocks {

	private static final int STRIPES = 1024;

	private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

	UserLocks() {
		for (int i = 0; i < STRIPES; i++) {
			locks[i] = new ReentrantLock();
		}
	}

	/**
	 * Runs {@code work} holding the locks of all the users. Locks are always taken in the same
	 * order (by stripe), so two threads locking overlapping sets cannot deadlock.
	 */
	void runAll(Collection<String> userIds, Runnable work) {
		int[] stripes = userIds.stream().mapToInt(userId -> Math.floorMod(userId.hashCode(), STRIPES)).distinct()
			.sorted()
			.toArray();
		int locked = 0;
		try {
			for (int stripe : stripes) {
				locks[stripe].lock();
				locked++;
			}
			work.run();
		}
		finally {
			for (int i = locked - 1; i >= 0; i--) {
				locks[stripes[i]].unlock();
			}
		}
	}

}
