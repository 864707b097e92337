package dev.chat.auth;

import reactor.core.publisher.Mono;

/**
 * Runs a multi-step change to its end even when the request that started it is cancelled.
 *
 * <p>
 * WebFlux cancels a request's pipeline when the client disconnects. For a change that spans
 * Keycloak, Mongo and Kafka, a cancellation between two steps would leave exactly the
 * half-done state the steps' compensations exist to prevent (a Keycloak user without a profile,
 * a profile whose {@code user.registered} was never published). The work is therefore subscribed
 * on its own, and the request only waits for its outcome.
 */
public final class Detached {

	private Detached() {
	}

	public static <T> Mono<T> run(Mono<T> work) {
		return Mono.fromFuture(work::toFuture, true);
	}

}
