package dev.chat.gateway.socket;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.chat.gateway.GatewayProperties;

/**
 * On a clean stop (SIGTERM), closes every socket of this node with 1012 before anything else
 * stops: clients reconnect at once to another node and recover with {@code sinceSeq}, and the
 * web server's graceful shutdown, which otherwise waits its whole timeout for sockets that never
 * end by themselves and then drops them without a close frame, has nothing left to wait for.
 *
 * <p>
 * A close written while a send still waits for Kafka would cost the client that send's ack, and
 * the frames queued behind it would go unanswered: the client could not tell whether they were
 * taken. So every session drains first ({@link ClientSession#drain}): what it received is
 * answered (an ack, or {@code unavailable} for a send it had not started on), and it closes
 * itself with 1012 the moment nothing is left, after the answers already queued. The wait is
 * bounded ({@code chat.gateway.socket.shutdown-drain}) because a send stuck on Kafka must not
 * hold up the stop; its client retries it with the same {@code clientMsgId}, stored once.
 *
 * <p>
 * The wait polls, on the thread stopping the context: a session closes itself the moment it is
 * idle, so the poll only has to learn when the last one has, and to drain the sockets opened
 * meanwhile (the web server still accepts them).
 */
@Component
class SocketShutdown implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(SocketShutdown.class);

	private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

	private final SessionRegistry sessions;

	private final Duration drain;

	private volatile boolean running;

	@Autowired
	SocketShutdown(SessionRegistry sessions, GatewayProperties properties) {
		this(sessions, properties.socket().shutdownDrain());
	}

	SocketShutdown(SessionRegistry sessions, Duration drain) {
		this.sessions = sessions;
		this.drain = drain;
	}

	@Override
	public void start() {
		running = true;
	}

	@Override
	public void stop() {
		running = false;
		sessions.startClosing();
		long started = System.nanoTime();
		long deadline = started + drain.toNanos();
		Drained drained = drainAll(0);
		// Never park an event loop: a context stopped from one (never so on SIGTERM, which stops it
		// on the shutdown hook's thread) closes the sockets without waiting.
		boolean mayWait = !Schedulers.isInNonBlockingThread();
		while (drained.busy() > 0 && mayWait && System.nanoTime() - deadline < 0) {
			LockSupport.parkNanos(Math.min(POLL_NANOS, deadline - System.nanoTime()));
			drained = drainAll(drained.count());
		}
		if (drained.busy() > 0) {
			log.warn("closing sockets still handling a frame after the shutdown drain count={} drainMillis={}",
					drained.busy(), drain.toMillis());
			sessions.forEach(session -> session.close(CloseCodes.SERVICE_RESTART));
		}
		log.info("closed sockets for shutdown count={} millis={}", drained.count(),
				TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
	}

	/** Drains the sessions not yet draining (opened since the last pass) and counts those still busy. */
	private Drained drainAll(int drainedBefore) {
		int[] counts = { drainedBefore, 0 };
		sessions.forEach(session -> {
			if (!session.ended() && session.drain()) {
				counts[0]++;
			}
			if (session.handlingFrame()) {
				counts[1]++;
			}
		});
		return new Drained(counts[0], counts[1]);
	}

	private record Drained(int count, int busy) {
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
