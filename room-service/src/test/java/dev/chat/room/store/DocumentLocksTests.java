package dev.chat.room.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

class DocumentLocksTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private final DocumentLocks locks = new DocumentLocks();

	@Test
	void worksOnOneKeyRunOneAtATimeInArrivalOrder() {
		AtomicInteger running = new AtomicInteger();
		List<Integer> maxima = Collections.synchronizedList(new ArrayList<>());
		List<Integer> order = Collections.synchronizedList(new ArrayList<>());

		Flux<Integer> works = Flux.range(0, 20)
			.flatMap(i -> locks.withLock("room:1", () -> Mono.fromCallable(() -> {
				maxima.add(running.incrementAndGet());
				order.add(i);
				return i;
			}).delayElement(Duration.ofMillis(5)).doOnTerminate(running::decrementAndGet)), 20);

		StepVerifier.create(works).expectNextCount(20).expectComplete().verify(TIMEOUT);
		assertThat(maxima).containsOnly(1);
		assertThat(order).isSorted();
		assertThat(locks.busyKeys()).isZero();
	}

	@Test
	void worksOnDifferentKeysRunSideBySide() {
		Sinks.One<String> gate = Sinks.one();
		Mono<String> waitsForTheOther = locks.withLock("room:1", gate::asMono);
		Mono<String> opensTheGate = locks.withLock("room:2", () -> Mono.fromRunnable(() -> gate.tryEmitValue("open"))
			.thenReturn("opened"));

		StepVerifier.create(Flux.merge(waitsForTheOther, opensTheGate))
			.expectNextCount(2)
			.expectComplete()
			.verify(TIMEOUT);
	}

	@Test
	void aFailedWorkReleasesTheKey() {
		StepVerifier.create(locks.withLock("room:1", () -> Mono.error(new IllegalStateException("boom"))))
			.expectError(IllegalStateException.class)
			.verify(TIMEOUT);

		StepVerifier.create(locks.withLock("room:1", () -> Mono.just("next"))).expectNext("next").expectComplete()
			.verify(TIMEOUT);
	}

	@Test
	void aWaiterThatGivesUpDoesNotLetTheNextOneOvertakeTheRunningWork() {
		Sinks.One<String> firstDone = Sinks.one();
		AtomicInteger running = new AtomicInteger();
		List<Integer> maxima = Collections.synchronizedList(new ArrayList<>());

		var first = locks.withLock("room:1", () -> Mono.fromRunnable(() -> maxima.add(running.incrementAndGet()))
			.then(firstDone.asMono())
			.doOnTerminate(running::decrementAndGet)).subscribe();
		var quitter = locks.withLock("room:1", () -> Mono.just("never")).subscribe();
		Mono<String> third = locks.withLock("room:1",
				() -> Mono.fromCallable(() -> maxima.add(running.incrementAndGet()))
					.doOnTerminate(running::decrementAndGet)
					.thenReturn("third"));

		quitter.dispose();
		StepVerifier.create(third)
			.then(() -> {
				assertThat(maxima).containsExactly(1);
				firstDone.tryEmitValue("done");
			})
			.expectNext("third")
			.expectComplete()
			.verify(TIMEOUT);
		assertThat(maxima).containsExactly(1, 1);
		first.dispose();
	}

}
