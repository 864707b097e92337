package dev.chat.gateway.socket;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * On a clean stop (SIGTERM), closes every socket of this node with 1012 before anything else
 * stops: clients reconnect at once to another node and recover with {@code sinceSeq}, and the
 * web server's graceful shutdown, which otherwise waits its whole timeout for sockets that never
 * end by themselves and then drops them without a close frame, has nothing left to wait for. A
 * send in flight is still answered: its socket closes after the frames queued before the close.
 */
@Component
class SocketShutdown implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(SocketShutdown.class);

	private final SessionRegistry sessions;

	private volatile boolean running;

	SocketShutdown(SessionRegistry sessions) {
		this.sessions = sessions;
	}

	@Override
	public void start() {
		running = true;
	}

	@Override
	public void stop() {
		running = false;
		int open = sessions.size();
		sessions.forEach(session -> session.close(CloseCodes.SERVICE_RESTART));
		log.info("closing sockets for shutdown count={}", open);
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	/** Stops first: before the fan-out (which would leave sockets open but silent) and the web server. */
	@Override
	public int getPhase() {
		return Integer.MAX_VALUE;
	}

}
