package dev.chat.gateway;

import java.io.FileInputStream;

import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The other tests of this module prove the event loop never blocks only if BlockHound is on. */
class BlockHoundInstalledTests {

	@Test
	void aBlockingReadOnANonBlockingThreadFails() {
		Mono<Integer> blockingRead = Mono.fromCallable(() -> {
			try (FileInputStream zeros = new FileInputStream("/dev/zero")) {
				return zeros.read();
			}
		}).subscribeOn(Schedulers.parallel());

		assertThatThrownBy(blockingRead::block).hasRootCauseInstanceOf(BlockingOperationError.class);
	}

}
