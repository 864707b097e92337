package dev.chat.message.kafka;

import com.mongodb.MongoSocketReadException;
import com.mongodb.ServerAddress;
import org.junit.jupiter.api.Test;

import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.listener.ListenerExecutionFailedException;

import static org.assertj.core.api.Assertions.assertThat;

class FailurePolicyTests {

	@Test
	void anUnreachableStoreOrBrokerIsTransientWhereverItIsWrapped() {
		Exception store = new MongoSocketReadException("gone", new ServerAddress());
		Exception broker = new org.apache.kafka.common.errors.TimeoutException("no ack");
		for (Exception cause : new Exception[] { store, broker }) {
			Exception wrapped = new ListenerExecutionFailedException("listener failed",
					new BatchListenerFailedException("not done", cause, 3));
			assertThat(FailurePolicy.isTransient(wrapped)).as(cause.toString()).isTrue();
		}
	}

	@Test
	void aFailureOfTheRecordItselfIsNot() {
		assertThat(FailurePolicy.isTransient(new IllegalStateException("corrupt entry"))).isFalse();
	}

}
