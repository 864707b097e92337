package dev.chat.common.tracing;

import java.util.HashMap;
import java.util.Map;

import io.micrometer.observation.ObservationRegistry;
import org.apache.kafka.clients.admin.AdminClientConfig;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.kafka.config.AbstractKafkaListenerContainerFactory;
import org.springframework.kafka.core.KafkaAdmin;
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
 * An observed template tags its spans with the cluster id, which it asks of Kafka (through an
 * admin client of its producer's configuration) until it has it, with the admin's operation
 * timeout (30 s), and then waits for the admin client to close, which waits for the call to time
 * out (60 s): while Kafka was down, every send first waited a minute (room-service's outbox
 * relay measured 60 s per attempt). Here both are {@value #CLUSTER_ID_TIMEOUT_SECONDS} s; a span
 * without the cluster id is the only cost.
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

	static final int CLUSTER_ID_TIMEOUT_SECONDS = 2;

	@Bean
	static BeanPostProcessor chatKafkaObservation(Environment environment) {
		boolean templates = environment.getProperty(TEMPLATE, Boolean.class, false);
		boolean listeners = environment.getProperty(LISTENER, Boolean.class, false);
		return new BeanPostProcessor() {

			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				if (templates && bean instanceof KafkaTemplate<?, ?> template) {
					template.setObservationEnabled(true);
					if (template.getKafkaAdmin() == null) {
						template.setKafkaAdmin(clusterIdAdmin(template.getProducerFactory().getConfigurationProperties()));
					}
				}
				if (listeners && bean instanceof AbstractKafkaListenerContainerFactory<?, ?, ?> factory) {
					factory.getContainerProperties().setObservationEnabled(true);
				}
				return bean;
			}

		};
	}

	/**
	 * The admin an observed template asks the cluster id of. Its API timeout is bounded too: the
	 * admin client is closed after each try, and its close waits for the call still pending.
	 */
	static KafkaAdmin clusterIdAdmin(Map<String, Object> producerConfiguration) {
		Map<String, Object> configuration = new HashMap<>(producerConfiguration);
		int timeoutMs = CLUSTER_ID_TIMEOUT_SECONDS * 1000;
		configuration.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
		configuration.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
		KafkaAdmin admin = new KafkaAdmin(configuration);
		admin.setOperationTimeout(CLUSTER_ID_TIMEOUT_SECONDS);
		return admin;
	}

}
