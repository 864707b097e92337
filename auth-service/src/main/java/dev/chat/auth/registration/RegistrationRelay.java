package dev.chat.auth.registration;

import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Finishes what registrations' requests could not: publishes the {@code user.registered} of every
 * registration whose profile is stored ({@code READY}) while Kafka was down, and settles every
 * registration still in {@code INTENT} after the grace period, whose request failed or died
 * ({@link Settlement}). One pass at a time, every poll interval, for as long as it takes: an event
 * is never dropped for want of Kafka or Keycloak. A crash between publishing and forgetting the
 * entry publishes again with the same {@code eventId}, by which consumers drop it.
 */
@Component
class RegistrationRelay implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(RegistrationRelay.class);

	private final PendingRegistrations pending;

	private final Settlement settlement;

	private final RegistrationProperties properties;

	private volatile Disposable loop;

	RegistrationRelay(PendingRegistrations pending, Settlement settlement, RegistrationProperties properties) {
		this.pending = pending;
		this.settlement = settlement;
		this.properties = properties;
	}

	@Override
	public void start() {
		loop = Flux.interval(properties.pollInterval())
			.onBackpressureDrop()
			.concatMap(tick -> pass().onErrorResume(error -> {
				log.atWarn().setCause(error).log("registration relay pass failed; retrying on the next poll");
				return Mono.empty();
			}), 1)
			.subscribe();
	}

	@Override
	public void stop() {
		Disposable running = loop;
		if (running != null) {
			running.dispose();
		}
		loop = null;
	}

	@Override
	public boolean isRunning() {
		return loop != null;
	}

	/** One pass; completes with the number of registrations it ended. */
	Mono<Integer> pass() {
		Instant now = Instant.now();
		return pending.oldest(properties.batchSize()).concatMap(registration -> {
			if (registration.state() == PendingRegistration.State.READY) {
				return settlement.publish(registration).thenReturn(1);
			}
			if (registration.olderThan(properties.grace(), now)) {
				return settlement.settle(registration).thenReturn(1);
			}
			return Mono.just(0); // its request may still be under way
		}).reduce(0, Integer::sum);
	}

}
