package dev.chat.common.mongo;

import java.util.ArrayList;
import java.util.List;

import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.WriteModel;
import com.mongodb.reactivestreams.client.MongoCollection;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Bulk writes cut into commands that FerretDB 1.24 on SQLite always finishes.
 *
 * <p>
 * FerretDB's {@code update} command keeps the query of each of its statements open until the
 * whole command ends (a {@code defer} inside its loop over the statements), so every statement
 * that matched an existing document holds one of the database's 100 SQLite connections until the
 * command is done. A command whose statements match 100 documents, or commands running at the same
 * time that match 100 together, wait for a connection none of them will give back: from then on
 * that database answers nobody until FerretDB is restarted; a client giving up does not release
 * it. Measured on the local FerretDB: 99 updates of existing documents in one bulk write take
 * 105 ms, 100 never finish. Inserts, and upserts that insert, hold nothing.
 *
 * <p>
 * So a bulk write goes out as consecutive commands of at most {@link #MAX_STATEMENTS} statements,
 * the next one sent when the previous one is done: a service whose writes come from {@code n}
 * threads holds at most {@code 16 n} connections of a database at once. Fewer statements per
 * command cost little: a statement costs about 1.1 ms, a command about 3 ms more.
 */
public final class BulkWrites {

	/** Statements per command. */
	public static final int MAX_STATEMENTS = 16;

	private BulkWrites() {
	}

	/**
	 * Writes {@code writes} in commands of at most {@link #MAX_STATEMENTS}, one after the other.
	 * Ordered: stops at the first failing command, so what is written is a prefix of
	 * {@code writes} (up to the failing statement). Unordered: every command is sent, and the
	 * first failure is reported at the end.
	 * @param collection where to write
	 * @param writes the statements, in order
	 * @param ordered whether a failure stops the statements after it
	 * @return completes when every command is done
	 */
	public static <T> Mono<Void> write(MongoCollection<T> collection, List<? extends WriteModel<? extends T>> writes,
			boolean ordered) {
		if (writes.isEmpty()) {
			return Mono.empty();
		}
		BulkWriteOptions options = new BulkWriteOptions().ordered(ordered);
		Flux<List<? extends WriteModel<? extends T>>> commands = Flux.fromIterable(commands(writes));
		return (ordered ? commands.concatMap(command -> Mono.from(collection.bulkWrite(command, options)))
				: commands.concatMapDelayError(command -> Mono.from(collection.bulkWrite(command, options))))
			.then();
	}

	/** The statements cut into consecutive commands of at most {@link #MAX_STATEMENTS}. */
	static <W> List<List<W>> commands(List<W> writes) {
		List<List<W>> commands = new ArrayList<>((writes.size() + MAX_STATEMENTS - 1) / MAX_STATEMENTS);
		for (int from = 0; from < writes.size(); from += MAX_STATEMENTS) {
			commands.add(List.copyOf(writes.subList(from, Math.min(writes.size(), from + MAX_STATEMENTS))));
		}
		return commands;
	}

}
