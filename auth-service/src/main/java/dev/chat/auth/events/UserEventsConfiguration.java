package dev.chat.auth.events;

import org.apache.kafka.common.serialization.StringSerializer;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.support.serializer.JacksonJsonSerializer;

import dev.chat.common.events.UserEvent;

/**
 * The producer of {@code chat.users}. It takes every {@code spring.kafka.producer.*} setting
 * (acks=all and idempotence come from {@code chat-defaults.yml}); only the serializers are fixed
 * here: values are written as {@link dev.chat.common.events.UserEvent}, so that the {@code type}
 * discriminator is always in the JSON, and without Spring's type headers, which would tie
 * consumers to this service's class names.
 */
@Configuration(proxyBeanMethods = false)
class UserEventsConfiguration {

	static JacksonJsonSerializer<UserEvent> serializer(JsonMapper json) {
		JacksonJsonSerializer<UserEvent> serializer = new JacksonJsonSerializer<>(new TypeReference<UserEvent>() {
		}, json);
		serializer.setAddTypeInfo(false);
		return serializer;
	}

	@Bean
	ProducerFactory<String, UserEvent> userEventProducerFactory(KafkaProperties kafka, JsonMapper json) {
		return new DefaultKafkaProducerFactory<>(kafka.buildProducerProperties(), new StringSerializer(),
				serializer(json));
	}

	@Bean
	KafkaTemplate<String, UserEvent> userEventTemplate(ProducerFactory<String, UserEvent> userEventProducerFactory) {
		return new KafkaTemplate<>(userEventProducerFactory);
	}

}
