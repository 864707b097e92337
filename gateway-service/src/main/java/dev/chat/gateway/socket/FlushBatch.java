package dev.chat.gateway.socket;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import io.netty.channel.EventLoop;

/**
 * Write batching for the fan-out thread. While a batch is open on the calling thread, a socket
 * that gets a frame does not schedule its own drain; the batch collects it, and when the batch
 * ends every event loop gets one task that drains (writes and flushes) all of its sessions. One
 * Kafka poll is one batch, so the number of flushes (system calls) per socket follows the load:
 * one per event at a low rate, one per burst of events at a high one — and the event loops get
 * a handful of tasks per poll instead of one per socket and event.
 */
final class FlushBatch {

	private static final ThreadLocal<FlushBatch> OPEN = new ThreadLocal<>();

	private final Map<EventLoop, List<SocketOutbound>> byLoop = new IdentityHashMap<>();

	/** The batch open on this thread, or null. */
	static FlushBatch current() {
		return OPEN.get();
	}

	/** Opens a batch on the calling thread; {@link #close} drains it. */
	static FlushBatch open() {
		FlushBatch batch = new FlushBatch();
		OPEN.set(batch);
		return batch;
	}

	void add(SocketOutbound socket, EventLoop loop) {
		byLoop.computeIfAbsent(loop, l -> new ArrayList<>()).add(socket);
	}

	/** Ends the batch: one drain task per event loop. */
	void close() {
		OPEN.remove();
		byLoop.forEach((loop, sockets) -> loop.execute(() -> sockets.forEach(SocketOutbound::drain)));
	}

}
