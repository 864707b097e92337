package dev.chat.load.target;

import reactor.core.publisher.Mono;

/** One open, subscribed connection of a {@link Target}. */
public interface Connection {

	/**
	 * Publishes {@code body} to {@code channel} through this connection (our gateway: a
	 * {@code send} frame). Completes when the server accepted it (our {@code ack}), or once written
	 * where the protocol confirms nothing; fails when the server refused it.
	 */
	Mono<Void> publish(String channel, String body);

	/** Closes the connection from the client side. */
	void close();

	/** Completes when the connection is closed, by either side. */
	Mono<Void> onClose();

}
