package dev.chat.common.tracing;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An observed template asks for the cluster id with bounded waits: against a Kafka that is down
 * the lookup (and the close of its admin client) gives up in seconds, not after a minute.
 */
class KafkaObservationAutoConfigurationTests {

	@Test
	void anObservedTemplateGivesUpOnTheClusterIdWithinSecondsWhenKafkaIsDown() {
		BeanPostProcessor observation = KafkaObservationAutoConfiguration
			.chatKafkaObservation(new MockEnvironment().withProperty(KafkaObservationAutoConfiguration.TEMPLATE, "true"));
		// A port nothing listens on: every connection is refused.
		KafkaTemplate<String, String> template = new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1"), new StringSerializer(),
				new StringSerializer()));
		observation.postProcessAfterInitialization(template, "template");

		KafkaAdmin admin = template.getKafkaAdmin();
		assertThat(admin).isNotNull();
		assertThat(admin.getConfigurationProperties()).containsEntry(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000)
			.containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
		long begin = System.nanoTime();
		assertThat(admin.clusterId()).isNull();
		assertThat(Duration.ofNanos(System.nanoTime() - begin)).as("giving up on the cluster id")
			.isLessThan(Duration.ofSeconds(15));
	}

}
