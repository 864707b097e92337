package dev.chat.common.tracing;

import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.kafka.config.AbstractKafkaListenerContainerFactory;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Kafka observation (a producer span per record sent, a consumer span per record received, the
 * W3C {@code traceparent} in the record headers) for every {@link KafkaTemplate} and listener
 * container factory of a service, not only the ones Boot configures.
 *
 * <p>
 * {@code spring.kafka.template.observation-enabled} and
 * {@code spring.kafka.listener.observation-enabled} (both {@code true} in
 * {@code chat-defaults.yml}) apply only to Boot's own template and container factory; most
 * services build theirs by hand (their own serializers, error handlers, batch listeners). This
 * applies the same two properties to every such bean, so one setting turns Kafka tracing on or
 * off for the whole service. A template or container looks the {@link ObservationRegistry} up
 * itself once the context is refreshed.
 *
 * <p>
 * A batch listener gets no observation from Spring Kafka (a batch holds records of many traces):
 * message-service continues each command's trace itself.
 */
@AutoConfiguration(after = KafkaAutoConfiguration.class)
@ConditionalOnClass({ KafkaTemplate.class, ObservationRegistry.class })
public class KafkaObservationAutoConfiguration {

	/** The property that enables the template's observation (Boot's own). */
	static final String TEMPLATE = "spring.kafka.template.observation-enabled";

	/** The property that enables the listener containers' observation (Boot's own). */
	static final String LISTENER = "spring.kafka.listener.observation-enabled";

	@Bean
	static BeanPostProcessor chatKafkaObservation(Environment environment) {
		boolean templates = environment.getProperty(TEMPLATE, Boolean.class, false);
		boolean listeners = environment.getProperty(LISTENER, Boolean.class, false);
		return new BeanPostProcessor() {

			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				if (templates && bean instanceof KafkaTemplate<?, ?> template) {
					template.setObservationEnabled(true);
				}
				if (listeners && bean instanceof AbstractKafkaListenerContainerFactory<?, ?, ?> factory) {
					factory.getContainerProperties().setObservationEnabled(true);
				}
				return bean;
			}

		};
	}

}
