package dev.chat.message.kafka;

import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.ExponentialBackOffWithMaxRetries;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.ExponentialBackOff;

import dev.chat.common.events.MessageCommand;
import dev.chat.common.events.RoomEvent;
import dev.chat.common.kafka.Topics;
import dev.chat.message.MessageProperties;

/**
 * How this service talks to Kafka. Producer: JSON values ({@link JsonValueSerializer}) with the
 * platform defaults ({@code acks=all}, idempotence). Consumers: offsets committed by the
 * container after the listener returns; a failing record retried with bounded back-off, then
 * published to {@code <topic>.dlt}; a record that cannot be deserialized published there at once.
 *
 * <p>
 * Both listeners read in the group {@code message-service} as static members
 * ({@code group.instance.id = <chat.instance-id>-<listener id>-<n>}, set by common's
 * {@code ListenerAssignments}): a process restarted after a crash takes its partitions back as it
 * joins, and one stopped cleanly leaves the group as it closes. {@code session.timeout.ms} (10 s,
 * {@code chat-defaults.yml}) is the failover time: how long the partitions of an instance that
 * died and does not come back stay unowned before the other instances take them.
 */
@Configuration(proxyBeanMethods = false)
public class KafkaConfiguration {

	/** The container factory of the {@code chat.rooms} listener: one record at a time. */
	public static final String ROOM_EVENTS_FACTORY = "roomEventsContainerFactory";

	/** The container factory of the {@code chat.messages.inbound} listener: whole polled batches. */
	public static final String COMMANDS_FACTORY = "commandsContainerFactory";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Bean
	ProducerFactory<String, Object> kafkaProducerFactory(KafkaProperties kafka) {
		Map<String, Object> config = kafka.buildProducerProperties();
		config.remove(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG);
		config.remove(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);
		return new DefaultKafkaProducerFactory<>(config, new StringSerializer(), new JsonValueSerializer(JSON));
	}

	@Bean
	KafkaTemplate<String, Object> kafkaTemplate(ProducerFactory<String, Object> producerFactory) {
		return new KafkaTemplate<>(producerFactory);
	}

	@Bean(ROOM_EVENTS_FACTORY)
	ConcurrentKafkaListenerContainerFactory<String, RoomEvent> roomEventsContainerFactory(KafkaProperties kafka,
			KafkaOperations<String, Object> template, MessageProperties properties) {
		ConcurrentKafkaListenerContainerFactory<String, RoomEvent> factory = new ConcurrentKafkaListenerContainerFactory<>();
		factory.setConsumerFactory(consumerFactory(kafka, RoomEvent.class));
		factory.setCommonErrorHandler(errorHandler(template, properties.pipeline()));
		factory.getContainerProperties().setAckMode(ContainerProperties.AckMode.BATCH);
		return factory;
	}

	@Bean(COMMANDS_FACTORY)
	ConcurrentKafkaListenerContainerFactory<String, MessageCommand> commandsContainerFactory(KafkaProperties kafka,
			KafkaOperations<String, Object> template, MessageProperties properties) {
		ConcurrentKafkaListenerContainerFactory<String, MessageCommand> factory = new ConcurrentKafkaListenerContainerFactory<>();
		factory.setConsumerFactory(consumerFactory(kafka, MessageCommand.class));
		factory.setBatchListener(true);
		factory.setConcurrency(properties.pipeline().concurrency());
		factory.setCommonErrorHandler(errorHandler(template, properties.pipeline()));
		factory.getContainerProperties().setAckMode(ContainerProperties.AckMode.BATCH);
		// Still after processing, but the next batch does not wait for the broker's answer: a
		// commit lost with a crash only redelivers commands the idempotency keys recognize.
		factory.getContainerProperties().setSyncCommits(false);
		return factory;
	}

	private static <T> DefaultKafkaConsumerFactory<String, T> consumerFactory(KafkaProperties kafka, Class<T> type) {
		Map<String, Object> config = kafka.buildConsumerProperties();
		config.remove(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG);
		config.remove(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG);
		return new DefaultKafkaConsumerFactory<>(config, new StringDeserializer(),
				new ErrorHandlingDeserializer<>(new JsonValueDeserializer<>(JSON, type)));
	}

	/**
	 * Retries a failing record, then publishes it to {@code <topic>.dlt} (same partition).
	 * Deserialization failures are not retryable (the handler's default). While the store or the
	 * broker is unreachable a record is retried for {@code transientRetryFor}; any other failure
	 * {@code attempts} times in all.
	 */
	static DefaultErrorHandler errorHandler(KafkaOperations<String, Object> template,
			MessageProperties.Pipeline pipeline) {
		DeadLetterPublishingRecoverer deadLetters = new DeadLetterPublishingRecoverer(template,
				(record, failure) -> new TopicPartition(Topics.deadLetter(record.topic()), record.partition()));
		ExponentialBackOffWithMaxRetries perRecord = new ExponentialBackOffWithMaxRetries(pipeline.attempts() - 1);
		perRecord.setInitialInterval(200);
		perRecord.setMultiplier(2);
		ExponentialBackOff outage = new ExponentialBackOff(500, 2);
		outage.setMaxInterval(10_000);
		outage.setMaxElapsedTime(pipeline.transientRetryFor().toMillis());
		DefaultErrorHandler handler = new DefaultErrorHandler(deadLetters, perRecord);
		handler.setBackOffFunction((record, failure) -> FailurePolicy.isTransient(failure) ? outage : (BackOff) null);
		return handler;
	}

}
