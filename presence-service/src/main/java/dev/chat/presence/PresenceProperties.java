package dev.chat.presence;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How presence is tracked ({@code chat.presence.*}).
 *
 * @param consumerGroup the Kafka consumer group of {@code chat.presence.events} and
 * {@code chat.rooms}; every instance of the service shares it
 * @param consumers listener threads for {@code chat.presence.events} (each owns some partitions,
 * so one user's signals are still handled in order)
 * @param grace how long a user who lost their last subscribed connection to a room stays online
 * there: a reconnect within it publishes nothing
 * @param nodes when a gateway node counts as dead
 * @param retry how a record that fails is retried before it goes to the dead-letter topic
 * @param fenceGrace how long an instance that takes a partition over from another waits before
 * writing for its users, so that a write the previous owner had already sent lands first
 * ({@link dev.chat.presence.partition.PartitionOwnership})
 */
@Validated
@ConfigurationProperties("chat.presence")
public record PresenceProperties(@DefaultValue("presence-service") @NotBlank String consumerGroup,
		@DefaultValue("3") @Min(1) @Max(64) int consumers, @DefaultValue("2s") @NotNull Duration grace,
		@DefaultValue @Valid Nodes nodes, @DefaultValue @Valid Retry retry,
		@DefaultValue("500ms") @NotNull Duration fenceGrace) {

	@AssertTrue(message = "chat.presence.grace must not be negative")
	public boolean isGraceNotNegative() {
		return grace == null || !grace.isNegative();
	}

	/**
	 * @param timeout a node whose heartbeats stop for this long is dead and all its connections
	 * are dropped; counted from the last heartbeat this process saw, and never from before this
	 * process started listening
	 * @param checkInterval how often nodes are checked against the timeout
	 */
	public record Nodes(@DefaultValue("15s") @NotNull Duration timeout,
			@DefaultValue("1s") @NotNull Duration checkInterval) {

		@AssertTrue(message = "chat.presence.nodes.check-interval must be positive and shorter than the timeout")
		public boolean isCheckIntervalShorterThanTimeout() {
			return timeout == null || checkInterval == null
					|| (checkInterval.isPositive() && checkInterval.compareTo(timeout) < 0);
		}

	}

	/**
	 * @param attempts retries of a failing record before it is dead-lettered (records that can
	 * never succeed, unreadable or invalid, are dead-lettered at once)
	 * @param initialBackoff the wait before the first retry, doubled for each further one
	 * @param maxBackoff the longest wait between retries
	 */
	public record Retry(@DefaultValue("5") @Min(0) @Max(20) int attempts,
			@DefaultValue("250ms") @NotNull Duration initialBackoff, @DefaultValue("4s") @NotNull Duration maxBackoff) {

	}

}
