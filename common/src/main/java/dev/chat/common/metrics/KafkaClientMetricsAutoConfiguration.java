package dev.chat.common.metrics;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.config.AbstractKafkaListenerContainerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.MicrometerConsumerListener;
import org.springframework.kafka.core.MicrometerProducerListener;

/**
 * The Kafka clients' own metrics ({@code kafka.consumer.fetch.manager.records.lag.max},
 * {@code kafka.producer.record.send.total}, ...) for every consumer and producer factory of the
 * service, not only the ones Boot auto-configures: services build their own factories (typed
 * serializers, a consumer factory per listener), and Boot's binding reaches only its own. A
 * factory that already has a Micrometer listener is left alone. Consumers made outside any
 * factory (the gateway's fan-out, presence-service's heartbeat watcher) bind themselves with
 * {@link KafkaClientMetricsBinding}.
 */
@AutoConfiguration(afterName = "org.springframework.boot.kafka.autoconfigure.metrics.KafkaMetricsAutoConfiguration")
@ConditionalOnClass({ MeterRegistry.class, DefaultKafkaConsumerFactory.class })
public class KafkaClientMetricsAutoConfiguration {

	@Bean
	static BeanPostProcessor chatKafkaClientMetrics(ObjectProvider<MeterRegistry> registry) {
		return new Binder(registry);
	}

	private record Binder(ObjectProvider<MeterRegistry> registry) implements BeanPostProcessor {

		@Override
		public Object postProcessAfterInitialization(Object bean, String beanName) {
			if (bean instanceof AbstractKafkaListenerContainerFactory<?, ?, ?> factory
					&& factory.getConsumerFactory() instanceof DefaultKafkaConsumerFactory<?, ?> consumers) {
				bind(consumers);
			}
			else if (bean instanceof DefaultKafkaConsumerFactory<?, ?> consumers) {
				bind(consumers);
			}
			else if (bean instanceof DefaultKafkaProducerFactory<?, ?> producers) {
				bind(producers);
			}
			return bean;
		}

		private <K, V> void bind(DefaultKafkaConsumerFactory<K, V> consumers) {
			MeterRegistry meters = registry.getIfAvailable();
			if (meters != null && consumers.getListeners().stream().noneMatch(MicrometerConsumerListener.class::isInstance)) {
				consumers.addListener(new MicrometerConsumerListener<>(meters));
			}
		}

		private <K, V> void bind(DefaultKafkaProducerFactory<K, V> producers) {
			MeterRegistry meters = registry.getIfAvailable();
			if (meters != null && producers.getListeners().stream().noneMatch(MicrometerProducerListener.class::isInstance)) {
				producers.addListener(new MicrometerProducerListener<>(meters));
			}
		}

	}

}
