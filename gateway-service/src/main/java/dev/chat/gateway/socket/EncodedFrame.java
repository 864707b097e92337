package dev.chat.gateway.socket;

import io.micrometer.core.instrument.Counter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;

/**
 * A server frame encoded once, as the complete bytes of an unmasked WebSocket text frame
 * (header and JSON payload) in one direct buffer. A fan-out event is encoded once per node and
 * the same bytes are written to every subscribed socket: each write takes a retained duplicate,
 * so no delivery copies or re-encodes anything. Written raw, past Netty's frame encoder, which
 * is safe because the server never negotiates per-message compression.
 *
 * <p>
 * Reference counted: whoever holds an {@code EncodedFrame} beyond the call that received it
 * (a subscription holding events back during a replay) must {@link #retain()} it and
 * {@link #release()} it once written.
 */
final class EncodedFrame {

	private static final int TEXT_FIN = 0x81;

	private final ByteBuf bytes;

	/** Where each socket this frame is queued to counts it ({@code chat.socket.frames.out}); may be null. */
	private final Counter sent;

	private EncodedFrame(ByteBuf bytes, Counter sent) {
		this.bytes = bytes;
		this.sent = sent;
	}

	/** Wraps a UTF-8 JSON payload into a text frame. */
	static EncodedFrame text(byte[] payload) {
		return text(payload, null);
	}

	/** Wraps a UTF-8 JSON payload into a text frame that counts its deliveries in {@code sent}. */
	static EncodedFrame text(byte[] payload, Counter sent) {
		int length = payload.length;
		int header = length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
		ByteBuf buffer = PooledByteBufAllocator.DEFAULT.directBuffer(header + length);
		buffer.writeByte(TEXT_FIN);
		if (length < 126) {
			buffer.writeByte(length);
		}
		else if (length <= 0xFFFF) {
			buffer.writeByte(126);
			buffer.writeShort(length);
		}
		else {
			buffer.writeByte(127);
			buffer.writeLong(length);
		}
		buffer.writeBytes(payload);
		return new EncodedFrame(buffer, sent);
	}

	/** The frame was queued to one more socket. */
	void countSent() {
		if (sent != null) {
			sent.increment();
		}
	}

	/** A duplicate for one write; the write releases it. */
	ByteBuf forWrite() {
		return bytes.retainedDuplicate();
	}

	EncodedFrame retain() {
		bytes.retain();
		return this;
	}

	void release() {
		bytes.release();
	}

	int refCnt() {
		return bytes.refCnt();
	}

}
