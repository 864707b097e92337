package dev.chat.presence.tracking;

import java.util.concurrent.locks.ReentrantLock;

import org.springframework.stereotype.Component;

/**
 * One lock per user (striped): everything that reads and rewrites a user's document (a signal, a
 * node's drop, a grace check) holds it, so no decision about a user is made on a stale read. A
 * user's signals already arrive on one listener thread; the drops and grace checks run on
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

	void run(String userId, Runnable work) {
		ReentrantLock lock = locks[Math.floorMod(userId.hashCode(), STRIPES)];
		lock.lock();
		try {
			work.run();
		}
		finally {
			lock.unlock();
		}
	}

}
