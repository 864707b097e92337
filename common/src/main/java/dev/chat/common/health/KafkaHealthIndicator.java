package dev.chat.common.health;

import java.time.Duration;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.AbstractReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Kafka is healthy when the cluster answers a describe request in time. Part of the readiness
 * group: a service that cannot reach Kafka takes no traffic. The admin client is created once
 * and reused; the call never blocks the event loop (it completes a Kafka future).
 */
public class KafkaHealthIndicator extends AbstractReactiveHealthIndicator implements DisposableBean {

	private static final Duration TIMEOUT = Duration.ofSeconds(3);

	private final Admin admin;

	public KafkaHealthIndicator(KafkaAdmin kafkaAdmin) {
		super("Kafka health check failed");
		this.admin = Admin.create(kafkaAdmin.getConfigurationProperties());
	}

	@Override
	protected Mono<Health> doHealthCheck(Health.Builder builder) {
		var options = new DescribeClusterOptions().timeoutMs((int) TIMEOUT.toMillis());
		return Mono.fromCompletionStage(() -> admin.describeCluster(options).clusterId().toCompletionStage())
			.timeout(TIMEOUT)
			.map(clusterId -> builder.up().withDetail("clusterId", clusterId).build());
	}

	@Override
	public void destroy() {
		admin.close(Duration.ofSeconds(2));
	}

}
