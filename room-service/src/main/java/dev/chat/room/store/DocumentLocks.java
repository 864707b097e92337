package dev.chat.room.store;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

/**
 * Runs the writes to one document one at a time within this service instance, in arrival order,
 * without blocking a thread while a write waits for its turn.
 *
 * <p>
 * Why: FerretDB 1.24 on SQLite, the local store, applies every update operator by reading the
 * document, changing it in Go and writing the whole document back, with nothing in between to
 * stop another writer. Measured on this machine: 200 concurrent {@code $inc} of one field left it
 * at 18, and of 20 concurrent {@code findAndModify} 8 saw the same "before" document. Inserts
 * (unique {@code _id}) and deletes by {@code _id} are exact. So every update goes through
 * {@link #withLock} on the document's key, and so does every read-check-write sequence that must
 * see its own result (a state transition).
 *
 * <p>
 * On MongoDB the update operators are atomic on their own and this only costs a little
 * parallelism on a hot document. The lock is per JVM: against FerretDB run one room-service
 * instance (the local stack does); several instances need MongoDB.
 *
 * <p>
 * Never take a second lock inside {@link #withLock}: the features take their locks one after the
 * other, which rules out deadlocks.
 */
@Component
public class DocumentLocks {

	private final ConcurrentHashMap<String, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();

	/**
	 * Subscribes to {@code work} once every earlier work on {@code key} has finished (completed,
	 * failed or been cancelled), and lets the next one run once it has.
	 */
	public <T> Mono<T> withLock(String key, Supplier<Mono<T>> work) {
		return Mono.defer(() -> {
			CompletableFuture<Void> mine = new CompletableFuture<>();
			CompletableFuture<Void> previous = tails.put(key, mine);
			// suppressCancel: a waiter that gives up must not cancel its predecessor's turn.
			Mono<Void> turn = previous == null ? Mono.empty() : Mono.fromFuture(previous, true);
			return turn.then(Mono.defer(work)).doFinally(signal -> release(key, previous, mine));
		});
	}

	/** How many keys have work queued or running; for tests. */
	int busyKeys() {
		return tails.size();
	}

	private void release(String key, CompletableFuture<Void> previous, CompletableFuture<Void> mine) {
		// A waiter cancelled before its turn still hands over only after its predecessor finished.
		if (previous == null || previous.isDone()) {
			finish(key, mine);
		}
		else {
			previous.whenComplete((ignored, error) -> finish(key, mine));
		}
	}

	private void finish(String key, CompletableFuture<Void> mine) {
		tails.remove(key, mine);
		mine.complete(null);
	}

}
