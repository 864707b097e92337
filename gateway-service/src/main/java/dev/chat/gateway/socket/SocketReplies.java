package dev.chat.gateway.socket;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

import dev.chat.gateway.GatewayProperties;

/** How the server answers a client: a frame, a protocol error (1008 after too many), a refused room. */
@Component
class SocketReplies {

	private static final Logger log = LoggerFactory.getLogger(SocketReplies.class);

	private final FrameCodec codec;

	private final int maxProtocolErrors;

	SocketReplies(FrameCodec codec, GatewayProperties properties) {
		this.codec = codec;
		this.maxProtocolErrors = properties.socket().maxProtocolErrors();
	}

	void reply(ClientSession session, ServerFrame frame) {
		EncodedFrame encoded = codec.encode(frame);
		session.send(encoded);
		encoded.release();
	}

	Mono<Void> protocolError(ClientSession session, ServerFrame.Error error) {
		reply(session, error);
		if (session.protocolError(maxProtocolErrors)) {
			session.close(CloseCodes.POLICY_VIOLATION);
		}
		return Mono.empty();
	}

	/** A request about a room failed: refused by message-service, or not answered in time. */
	Mono<Void> roomError(ClientSession session, Throwable ex, String ref) {
		if (ex instanceof MessageServiceClient.RoomAccessDenied denied) {
			return protocolError(session, new ServerFrame.Error(denied.code(),
					"not_found".equals(denied.code()) ? "no such room" : "not a member of this room", ref));
		}
		log.warn("request failed connectionId={} userId={} ref={} error={}", session.connectionId(), session.userId(),
				ref, ex.toString());
		unavailable(session, ref);
		return Mono.empty();
	}

	void unavailable(ClientSession session, String ref) {
		reply(session, new ServerFrame.Error("unavailable", "the server could not take this now; retry", ref));
	}

}
