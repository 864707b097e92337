package dev.chat.gateway.socket;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.type.LogicalType;
import tools.jackson.databind.exc.InvalidTypeIdException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Decodes client frames and encodes server frames. A frame that cannot be decoded becomes a
 * {@link Rejected} carrying the error frame to answer with, so the session handler never sees
 * an exception for bad input.
 */
@Component
class FrameCodec {

	/** Larger text frames are refused before parsing. */
	static final int MAX_FRAME_CHARS = 16 * 1024;

	private final JsonMapper json = JsonMapper.builder()
		.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
		// {"body": 7} is a wrong type, not the text "7".
		.withCoercionConfig(LogicalType.Textual,
				coercion -> coercion.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
					.setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
					.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
		.build();

	private final SocketMetrics metrics;

	@Autowired
	FrameCodec(SocketMetrics metrics) {
		this.metrics = metrics;
	}

	/** A codec whose frames count nowhere. */
	FrameCodec() {
		this(SocketMetrics.none());
	}

	/** The result of decoding one text frame. */
	sealed interface Decoded {
	}

	record Accepted(ClientFrame frame) implements Decoded {
	}

	record Rejected(ServerFrame.Error error) implements Decoded {
	}

	Decoded decode(String text) {
		if (text.length() > MAX_FRAME_CHARS) {
			return new Rejected(ServerFrame.Error.of("too_large", "frames are limited to 16 KiB"));
		}
		try {
			return new Accepted(json.readValue(text, ClientFrame.class));
		}
		catch (InvalidTypeIdException ex) {
			return new Rejected(ServerFrame.Error.of("unknown_type",
					ex.getTypeId() == null ? "the frame has no type" : "unknown frame type"));
		}
		catch (JacksonException ex) {
			return new Rejected(ServerFrame.Error.of("malformed", "the frame is not valid JSON for its type"));
		}
	}

	/** Encodes a frame once, ready to be written to any number of sockets (each counts it once). */
	EncodedFrame encode(ServerFrame frame) {
		return EncodedFrame.text(json.writeValueAsBytes(frame), metrics.sent(SocketMetrics.Out.of(frame)));
	}

}
