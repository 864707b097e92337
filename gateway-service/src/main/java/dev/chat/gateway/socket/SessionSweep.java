package dev.chat.gateway.socket;

import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import dev.chat.gateway.GatewayProperties;

/**
 * The timers of every socket, as one sweep a second over the node's sessions instead of
 * timers per socket (which cost memory and scheduler work for each of tens of thousands of
 * idle connections): pings when one is due, drops a peer silent for two ping intervals, warns
 * when a token expires and closes with 4401 after the grace period unless a fresh token came.
 * The price is up to a second of lateness for each of these, far below their own periods.
 */
@Component
class SessionSweep {

	private static final Logger log = LoggerFactory.getLogger(SessionSweep.class);

	private final SessionRegistry sessions;

	private final FrameCodec codec;

	private final GatewayProperties.Socket limits;

	SessionSweep(SessionRegistry sessions, FrameCodec codec, GatewayProperties properties) {
		this.sessions = sessions;
		this.codec = codec;
		this.limits = properties.socket();
	}

	@Scheduled(fixedRate = 1_000)
	void sweep() {
		long nowNanos = System.nanoTime();
		Instant now = Instant.now();
		Duration pingInterval = limits.pingInterval();
		sessions.forEach(session -> {
			if (session.pingOrSilent(nowNanos, pingInterval)) {
				log.info("dropping a silent peer connectionId={} userId={}", session.connectionId(), session.userId());
				session.close(CloseCodes.GOING_AWAY);
			}
			else if (session.tokenExpired(now, limits.tokenGrace())) {
				EncodedFrame warning = codec.encode(ServerFrame.Error.of("token_expired",
						"the access token expired; send auth with a fresh token within " + limits.tokenGrace().toSeconds()
								+ " s"));
				session.send(warning);
				warning.release();
			}
		});
	}

}
