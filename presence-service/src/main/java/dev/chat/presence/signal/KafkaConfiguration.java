package dev.chat.presence.signal;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.ExponentialBackOffWithMaxRetries;
import org.springframework.kafka.support.serializer.DelegatingByTypeSerializer;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;
import org.springframework.kafka.support.serializer.JacksonJsonDeserializer;
import org.springframework.kafka.support.serializer.JacksonJsonSerializer;

import dev.chat.common.events.PresenceSignal;
import dev.chat.common.events.RoomEvent;
import dev.chat.common.kafka.Topics;
import dev.chat.presence.PresenceProperties;

/**
 * The Kafka clients of presence-service, all built from {@code spring.kafka.*} (acks=all,
 * idempotence, no auto-commit, read-committed come from {@code chat-defaults.yml}).
 *
 * <p>
 * Listeners commit only what they have processed (manual acknowledgement). Values are decoded by
 * an {@link ErrorHandlingDeserializer}, so an unreadable record reaches the listener as an empty
 * value with the failure in a header (or the error handler, for a record listener) instead of
 * stalling its partition; the handler dead-letters it at once, like an
 * {@link InvalidRecordException}, and retries anything else with a bounded exponential back-off
 * before dead-lettering it too. Dead letters go to {@code <topic>.dlt} with the original bytes
 * (unreadable records) or the decoded value as JSON.
 *
 * <p>
 * Both listeners read in the group {@code chat.presence.consumer-group} as static members
 * ({@code group.instance.id = <chat.instance-id>-<listener id>-<n>}, set by common's
 * {@code ListenerAssignments}): a process restarted after a crash takes its partitions back as it
 * joins, and one stopped cleanly leaves the group as it closes. {@code session.timeout.ms} (10 s,
 * {@code chat-defaults.yml}) is the failover time: how long the partitions of an instance that
 * died and does not come back stay unowned before the other instances take them.
 */
@Configuration(proxyBeanMethods = false)
class KafkaConfiguration {

	@Bean
	ConcurrentKafkaListenerContainerFactory<String, PresenceSignal> presenceSignalContainerFactory(
			KafkaProperties kafka, PresenceProperties properties, DefaultErrorHandler presenceErrorHandler) {
		ConcurrentKafkaListenerContainerFactory<String, PresenceSignal> factory = containerFactory(kafka,
				PresenceSignal.class, presenceErrorHandler);
		factory.setConcurrency(properties.consumers());
		// A poll's records are applied together: one write per document touched, not per record.
		factory.setBatchListener(true);
		return factory;
	}

	@Bean
	ConcurrentKafkaListenerContainerFactory<String, RoomEvent> roomEventContainerFactory(KafkaProperties kafka,
			DefaultErrorHandler presenceErrorHandler) {
		return containerFactory(kafka, RoomEvent.class, presenceErrorHandler);
	}

	private static <T> ConcurrentKafkaListenerContainerFactory<String, T> containerFactory(KafkaProperties kafka,
			Class<T> type, DefaultErrorHandler errorHandler) {
		Map<String, Object> consumer = new HashMap<>(kafka.buildConsumerProperties());
		consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		JacksonJsonDeserializer<T> json = new JacksonJsonDeserializer<>(type, JsonMapper.builder().build(), false);
		ConcurrentKafkaListenerContainerFactory<String, T> factory = new ConcurrentKafkaListenerContainerFactory<>();
		factory.setConsumerFactory(new DefaultKafkaConsumerFactory<>(consumer, new StringDeserializer(),
				new ErrorHandlingDeserializer<>(json)));
		factory.getContainerProperties().setAckMode(ContainerProperties.AckMode.MANUAL);
		factory.setCommonErrorHandler(errorHandler);
		return factory;
	}

	@Bean
	DefaultErrorHandler presenceErrorHandler(KafkaProperties kafka, PresenceProperties properties) {
		Map<Class<?>, Serializer<?>> byType = new LinkedHashMap<>();
		byType.put(byte[].class, new ByteArraySerializer());
		byType.put(Object.class, new JacksonJsonSerializer<>(JsonMapper.builder().build()).noTypeInfo());
		KafkaTemplate<String, Object> deadLetters = new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(
				kafka.buildProducerProperties(), new StringSerializer(), new DelegatingByTypeSerializer(byType, true)));
		// Partition -1: Kafka picks it by key, whatever the dead-letter topic's partition count.
		DeadLetterPublishingRecoverer recoverer = new DeadLetterPublishingRecoverer(deadLetters,
				(record, ex) -> new TopicPartition(Topics.deadLetter(record.topic()), -1));
		PresenceProperties.Retry retry = properties.retry();
		ExponentialBackOffWithMaxRetries backOff = new ExponentialBackOffWithMaxRetries(retry.attempts());
		backOff.setInitialInterval(retry.initialBackoff().toMillis());
		backOff.setMultiplier(2);
		backOff.setMaxInterval(retry.maxBackoff().toMillis());
		DefaultErrorHandler handler = new DefaultErrorHandler(recoverer, backOff);
		handler.addNotRetryableExceptions(InvalidRecordException.class);
		return handler;
	}

	/**
	 * The producer of {@code chat.presence}: JSON text values, keyed by room. No linger: the
	 * tracker sends a batch's changes at once and then waits for them, so waiting longer for more
	 * would only add latency.
	 */
	@Bean
	KafkaTemplate<String, String> presenceTemplate(KafkaProperties kafka) {
		Map<String, Object> producer = new HashMap<>(kafka.buildProducerProperties());
		producer.put(ProducerConfig.LINGER_MS_CONFIG, 0);
		return new KafkaTemplate<>(
				new DefaultKafkaProducerFactory<>(producer, new StringSerializer(), new StringSerializer()));
	}

}
