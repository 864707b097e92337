package dev.chat.message.kafka;

import java.time.Duration;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.MemberDescription;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.chat.message.MessageServiceTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Readiness follows the listener containers: DOWN ({@code kafkaListeners}) while one does not own
 * its partitions, UP again once it has them back. Both containers are static members of the
 * group, named after {@code chat.instance-id} and their listener ids, and a stopped container
 * leaves the group at once instead of waiting for its session to time out.
 */
@MessageServiceTest
class ListenerReadinessIntegrationTests {

	@Autowired
	private WebTestClient client;

	@Autowired
	private KafkaListenerEndpointRegistry registry;

	@Value("${spring.kafka.bootstrap-servers}")
	private String bootstrap;

	@Test
	void readinessIsDownWhileAListenerHasNoPartitionsAndItsMemberLeavesTheGroupWhenItStops() throws Exception {
		awaitListeners("UP", 200);
		try (Admin admin = Admin.create(java.util.Map.of("bootstrap.servers", bootstrap))) {
			assertThat(instanceIds(admin)).contains("message-service-1-message-pipeline-0",
					"message-service-1-membership-projection-0");

			MessageListenerContainer pipeline = registry.getListenerContainer("message-pipeline");
			pipeline.stop();
			awaitListeners("DOWN", 503);
			// Left at once: no wait for session.timeout.ms.
			assertThat(instanceIds(admin)).doesNotContain("message-service-1-message-pipeline-0");

			pipeline.start();
			awaitListeners("UP", 200);
			assertThat(instanceIds(admin)).contains("message-service-1-message-pipeline-0");
		}
	}

	private java.util.List<String> instanceIds(Admin admin) throws Exception {
		return admin.describeConsumerGroups(java.util.List.of("message-service"))
			.describedGroups()
			.get("message-service")
			.get()
			.members()
			.stream()
			.map(MemberDescription::groupInstanceId)
			.flatMap(java.util.Optional::stream)
			.toList();
	}

	private void awaitListeners(String status, int httpStatus) {
		Awaitility.await("kafkaListeners " + status)
			.atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(100))
			.untilAsserted(() -> client.get()
				.uri("/actuator/health/readiness")
				.exchange()
				.expectStatus()
				.isEqualTo(httpStatus)
				.expectBody()
				.jsonPath("$.components.kafkaListeners.status")
				.isEqualTo(status));
	}

}
