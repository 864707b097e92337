package dev.chat.common.health;

import java.util.List;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Kafka listeners are healthy once every listener container of the service owns its partitions
 * ({@link ListenerAssignments}). Part of the readiness group: until then the service would accept
 * work it cannot yet see through (a send acknowledged at the gateway but not stored, a
 * subscription confirmed with nothing flowing). Only the in-memory state is read: no I/O.
 */
public class KafkaListenersHealthIndicator extends AbstractHealthIndicator {

	private final ListenerAssignments assignments;

	public KafkaListenersHealthIndicator(ListenerAssignments assignments) {
		super("Kafka listeners health check failed");
		this.assignments = assignments;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		List<String> pending = assignments.pending();
		(pending.isEmpty() ? builder.up() : builder.down().withDetail("waitingForAssignment", pending))
			.withDetail("groupInstanceIds", assignments.instanceIds());
	}

}
