package dev.chat.load.target;

import reactor.core.publisher.Mono;

/**
 * A real-time server under load, as the load generator sees it: our gateway, or a peer it is
 * compared with (Centrifugo, Socket.IO). Each implementation speaks that server's own protocol;
 * the scenarios only open connections, publish bodies and count what comes back.
 */
public interface Target extends AutoCloseable {

	/** Short name for reports: {@code chat}, {@code centrifugo}, {@code socketio}. */
	String name();

	/**
	 * Opens connection number {@code client} and subscribes it to {@code channel} (a room id
	 * for our gateway). Completes once the server confirmed the subscription, so the time this
	 * takes is the handshake-plus-subscribe latency. Every message delivered on that channel is
	 * handed to {@code deliveries} with its body, on the connection's I/O thread.
	 */
	Mono<Connection> connect(int client, String channel, Deliveries deliveries);

	@Override
	default void close() {
	}

}
