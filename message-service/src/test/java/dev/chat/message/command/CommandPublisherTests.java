package dev.chat.message.command;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.http.HttpStatus;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.web.ErrorResponseException;

import dev.chat.common.error.ErrorTypes;
import dev.chat.common.events.MessageCommand;
import dev.chat.message.MessageProperties;

import static org.assertj.core.api.Assertions.assertThat;

class CommandPublisherTests {

	@Test
	void aCommandKafkaDoesNotAcknowledgeInTimeIs503() {
		KafkaTemplate<String, Object> silent = new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(Map.of())) {
			@Override
			public CompletableFuture<SendResult<String, Object>> send(String topic, String key, Object data) {
				return new CompletableFuture<>();
			}
		};
		CommandPublisher publisher = new CommandPublisher(silent, properties("50ms"));

		StepVerifier.create(publisher.publish(MessageCommand.SendMessage.of("r", "u", "c", "hi")))
			.expectErrorSatisfies(error -> {
				ErrorResponseException problem = (ErrorResponseException) error;
				assertThat(problem.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
				assertThat(problem.getBody().getType()).isEqualTo(ErrorTypes.UNAVAILABLE);
			})
			.verify(Duration.ofSeconds(5));
	}

	@Test
	void aFailedSendIs503Too() {
		KafkaTemplate<String, Object> failing = new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(Map.of())) {
			@Override
			public CompletableFuture<SendResult<String, Object>> send(String topic, String key, Object data) {
				return CompletableFuture.failedFuture(new org.apache.kafka.common.errors.TimeoutException("no broker"));
			}
		};
		CommandPublisher publisher = new CommandPublisher(failing, properties("5s"));

		StepVerifier.create(publisher.publish(MessageCommand.SendMessage.of("r", "u", "c", "hi")))
			.expectErrorMatches(error -> error instanceof ErrorResponseException problem
					&& problem.getStatusCode().value() == 503)
			.verify(Duration.ofSeconds(5));
	}

	private static MessageProperties properties(String publishTimeout) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.addFirst(new MapPropertySource("test", Map.of("chat.messages.publish-timeout", publishTimeout)));
		return Binder.get(environment).bindOrCreate("chat.messages", MessageProperties.class);
	}

}
