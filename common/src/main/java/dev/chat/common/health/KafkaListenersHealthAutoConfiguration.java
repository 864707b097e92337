package dev.chat.common.health;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;

/**
 * Static group membership, leaving the group on a clean stop, and the {@code kafkaListeners}
 * readiness check, for every {@code @KafkaListener} container of a service.
 *
 * <p>
 * {@code chat.instance-id} names this process among the instances of its service; it must be
 * unique per live process and stable across its restarts (a pod name in a StatefulSet, the
 * launcher's process name locally). The default, the application name followed by {@code -1},
 * suits one instance per service; a second instance started with the same id fences the first.
 */
@AutoConfiguration(after = KafkaAutoConfiguration.class)
@ConditionalOnClass({ KafkaListenerEndpointRegistry.class, org.springframework.boot.health.contributor.Health.class })
public class KafkaListenersHealthAutoConfiguration {

	/** The property naming this process among its service's instances. */
	public static final String INSTANCE_ID = "chat.instance-id";

	@Bean
	static LeaveGroupOnClose.Installer leaveGroupOnClose() {
		return new LeaveGroupOnClose.Installer();
	}

	@Bean
	@ConditionalOnMissingBean
	ListenerAssignments listenerAssignments(ObjectProvider<KafkaListenerEndpointRegistry> registry,
			Environment environment) {
		String instanceId = environment.getProperty(INSTANCE_ID,
				environment.getProperty("spring.application.name", "chat") + "-1");
		if (!instanceId.matches("[a-zA-Z0-9._-]{1,200}")) {
			throw new IllegalStateException(INSTANCE_ID + " must be 1 to 200 letters, digits, '.', '_' or '-', was '"
					+ instanceId + "'");
		}
		return new ListenerAssignments(registry.getIfAvailable(KafkaListenerEndpointRegistry::new), instanceId);
	}

	@Bean(name = "kafkaListenersHealthIndicator")
	@ConditionalOnMissingBean(name = "kafkaListenersHealthIndicator")
	KafkaListenersHealthIndicator kafkaListenersHealthIndicator(ListenerAssignments assignments) {
		return new KafkaListenersHealthIndicator(assignments);
	}

}
