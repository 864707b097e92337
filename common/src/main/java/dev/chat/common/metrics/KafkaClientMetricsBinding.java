package dev.chat.common.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.consumer.Consumer;

/**
 * Binds the metrics of a consumer made outside any Spring factory, for as long as it lives
 * (tagged with its {@code client.id}, as the factories' consumers are). Close it with the
 * consumer, so that a replaced consumer leaves no stale gauges behind.
 */
public final class KafkaClientMetricsBinding implements AutoCloseable {

	private final KafkaClientMetrics metrics;

	private KafkaClientMetricsBinding(KafkaClientMetrics metrics) {
		this.metrics = metrics;
	}

	/** Binds the consumer's metrics to the registry; null registry, nothing bound. */
	public static KafkaClientMetricsBinding bind(Consumer<?, ?> consumer, MeterRegistry registry) {
		if (registry == null) {
			return new KafkaClientMetricsBinding(null);
		}
		KafkaClientMetrics metrics = new KafkaClientMetrics(consumer);
		metrics.bindTo(registry);
		return new KafkaClientMetricsBinding(metrics);
	}

	@Override
	public void close() {
		if (metrics != null) {
			metrics.close();
		}
	}

}
