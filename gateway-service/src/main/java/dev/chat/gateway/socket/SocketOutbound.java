package dev.chat.gateway.socket;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;

import org.springframework.web.reactive.socket.WebSocketSession;

/**
 * What a socket sends, and how it closes. Frames from any thread are queued and written by the
 * socket's own event loop, one drain task per burst (or per {@link FlushBatch}), so a fan-out
 * batch costs one flush (one system call) per socket rather than one per frame. A client whose
 * queue or socket buffer fills is closed with 1013 rather than allowed to grow the node's memory
 * or slow other clients. Idle, it holds an empty queue and nothing else.
 */
final class SocketOutbound {

	private static final AtomicIntegerFieldUpdater<SocketOutbound> DRAIN_SCHEDULED = AtomicIntegerFieldUpdater
		.newUpdater(SocketOutbound.class, "drainScheduled");

	private static final AtomicIntegerFieldUpdater<SocketOutbound> QUEUED = AtomicIntegerFieldUpdater
		.newUpdater(SocketOutbound.class, "queued");

	/** An unmasked WebSocket ping with no payload. */
	private static final ByteBuf PING = Unpooled
		.unreleasableBuffer(Unpooled.directBuffer(2).writeByte(0x89).writeByte(0));

	private final WebSocketSession socket;

	private final Channel channel;

	private final int queuedFrames;

	private final long bufferedBytes;

	private final Queue<ByteBuf> queue = new ConcurrentLinkedQueue<>();

	private final Runnable drainTask = this::drain;

	private volatile int drainScheduled;

	private volatile int queued;

	private volatile CloseCodes closeCode;

	/**
	 * @param queuedFrames frames waiting for the event loop before the client counts as too slow
	 * @param bufferedBytes bytes written but not yet taken by the client's TCP connection
	 */
	SocketOutbound(WebSocketSession socket, Channel channel, int queuedFrames, long bufferedBytes) {
		this.socket = socket;
		this.channel = channel;
		this.queuedFrames = queuedFrames;
		this.bufferedBytes = bufferedBytes;
	}

	/** Queues an encoded frame; closes the socket with 1013 when the client cannot keep up. */
	void send(EncodedFrame frame) {
		if (closeCode != null) {
			return;
		}
		if (QUEUED.incrementAndGet(this) > queuedFrames) {
			QUEUED.decrementAndGet(this);
			close(CloseCodes.TRY_AGAIN_LATER);
			return;
		}
		enqueue(frame.forWrite());
		frame.countSent();
	}

	void ping() {
		QUEUED.incrementAndGet(this);
		enqueue(PING);
	}

	private void enqueue(ByteBuf bytes) {
		queue.offer(bytes);
		if (DRAIN_SCHEDULED.compareAndSet(this, 0, 1)) {
			FlushBatch batch = FlushBatch.current();
			if (batch != null) {
				batch.add(this, channel.eventLoop());
			}
			else {
				channel.eventLoop().execute(drainTask);
			}
		}
	}

	/** On the event loop: writes everything queued, then flushes once. A closing socket's close task does it instead. */
	void drain() {
		DRAIN_SCHEDULED.set(this, 0);
		if (closeCode == null) {
			writeQueued();
		}
	}

	private void writeQueued() {
		boolean wrote = false;
		ByteBuf next;
		while ((next = queue.poll()) != null) {
			QUEUED.decrementAndGet(this);
			if (!channel.isActive()) {
				next.release();
				continue;
			}
			channel.write(next == PING ? PING.duplicate() : next, channel.voidPromise());
			wrote = true;
		}
		if (wrote) {
			channel.flush();
			ChannelOutboundBuffer buffered = channel.unsafe().outboundBuffer();
			if (buffered != null && buffered.totalPendingWriteBytes() > bufferedBytes) {
				close(CloseCodes.TRY_AGAIN_LATER);
			}
		}
	}

	/**
	 * Closes the socket with this code, after the frames queued before it (the error that
	 * explains it) — except for a client too slow to read them, whose queue is dropped. The first
	 * close wins.
	 */
	void close(CloseCodes code) {
		synchronized (this) {
			if (closeCode != null) {
				return;
			}
			closeCode = code;
		}
		channel.eventLoop().execute(() -> {
			if (code != CloseCodes.TRY_AGAIN_LATER) {
				writeQueued();
			}
			discardQueued();
			socket.close(code.status()).subscribe();
		});
	}

	/** The socket is gone: nothing more is written. */
	void closed() {
		synchronized (this) {
			if (closeCode == null) {
				closeCode = CloseCodes.GOING_AWAY;
			}
		}
		if (channel.eventLoop().inEventLoop()) {
			discardQueued();
		}
		else {
			channel.eventLoop().execute(this::discardQueued);
		}
	}

	private void discardQueued() {
		ByteBuf next;
		while ((next = queue.poll()) != null) {
			QUEUED.decrementAndGet(this);
			next.release();
		}
	}

}
