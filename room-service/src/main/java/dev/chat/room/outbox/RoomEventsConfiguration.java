package dev.chat.room.outbox;

import java.time.Clock;

import org.apache.kafka.common.serialization.StringSerializer;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * The producer of {@code chat.rooms}. It takes every {@code spring.kafka.producer.*} setting
 * (acks=all and idempotence from {@code chat-defaults.yml}, the short timeouts from this
 * service's {@code application.yml}); values are the JSON the outbox stored, sent as they are.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(OutboxProperties.class)
class RoomEventsConfiguration {

	@Bean
	KafkaTemplate<String, String> roomEventTemplate(KafkaProperties kafka) {
		KafkaTemplate<String, String> template = new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(
				kafka.buildProducerProperties(), new StringSerializer(), new StringSerializer()));
		// The relay logs failed sends itself, once per pass with the event ids out of the record
		// values; the default listener would log every record's whole value at ERROR.
		template.setProducerListener(null);
		return template;
	}

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

}
