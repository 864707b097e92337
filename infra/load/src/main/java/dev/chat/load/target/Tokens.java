package dev.chat.load.target;

import reactor.core.publisher.Mono;

/** Access tokens for the generator's users, by client number (spread round-robin over the users). */
public interface Tokens {

	/** A token of the user of client {@code client} with enough life left to connect. */
	String token(int client);

	/** A fresh token for that user, refreshed if the cached one is near expiry. */
	Mono<String> fresh(int client);

}
