package dev.chat.message;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * message-service's own settings ({@code chat.messages.*}).
 *
 * @param pipeline how {@code chat.messages.inbound} is consumed
 * @param history page sizes of the history and replay endpoints
 * @param publishTimeout how long a REST request waits for Kafka to acknowledge its command
 * before answering 503 (the command may still be written later; its clientMsgId makes a retry
 * harmless)
 */
@Validated
@ConfigurationProperties("chat.messages")
public record MessageProperties(@DefaultValue @Valid Pipeline pipeline, @DefaultValue @Valid History history,
		@DefaultValue("5s") @NotNull Duration publishTimeout) {

	/**
	 * @param concurrency consumers of {@code chat.messages.inbound} in this instance (each owns
	 * some partitions; more than the topic's partitions would idle). One by default: each polled
	 * batch is stored with a fixed number of writes, so one consumer with the batches of all
	 * partitions writes less than several with a share each, and the local store (SQLite) takes
	 * one writer at a time anyway. Measured on FerretDB: a third of the latency at 50 messages/s.
	 * On FerretDB keep {@code concurrency * (roomParallelism + 16)} well under 100: each write in
	 * flight may hold a connection of the database's 100 until its command ends (see
	 * {@link dev.chat.common.mongo.BulkWrites}).
	 * @param roomParallelism rooms of one polled batch processed at the same time (a room's own
	 * commands are always applied one after another)
	 * @param roomTimeout how long one room's share of a batch may take before it counts as failed
	 * and is retried
	 * @param attempts deliveries of a record whose processing fails for a reason other than an
	 * unreachable store or broker, before it goes to the dead-letter topic
	 * @param transientRetryFor how long a record is retried while the store or the broker is
	 * unreachable, before it goes to the dead-letter topic: an outage stalls the rooms
	 * concerned rather than losing acknowledged messages
	 * @param memberCache how long a membership read from the projection is trusted before it is
	 * read again. A change this instance applies takes effect at once; one applied by another
	 * instance (which owns that room's {@code chat.rooms} partition) within this time. Zero reads
	 * the projection for every batch.
	 * @param fenceGrace how long a batch that takes a partition over from another instance waits
	 * before reading its rooms, so that a write the previous owner had already checked lands first
	 * (see {@code PartitionFence})
	 */
	public record Pipeline(@DefaultValue("1") @Min(1) @Max(64) int concurrency,
			@DefaultValue("16") @Min(1) @Max(256) int roomParallelism,
			@DefaultValue("30s") @NotNull Duration roomTimeout, @DefaultValue("3") @Min(1) int attempts,
			@DefaultValue("10m") @NotNull Duration transientRetryFor,
			@DefaultValue("10s") @NotNull Duration memberCache, @DefaultValue("500ms") @NotNull Duration fenceGrace) {
	}

	/**
	 * @param defaultLimit messages per history page when no {@code limit} is given
	 * @param maxLimit the largest {@code limit} a history request may ask for
	 * @param eventsDefaultLimit entries per replay page when no {@code limit} is given
	 * @param eventsMaxLimit the largest {@code limit} a replay request may ask for
	 */
	public record History(@DefaultValue("50") @Min(1) int defaultLimit, @DefaultValue("200") @Min(1) int maxLimit,
			@DefaultValue("200") @Min(1) int eventsDefaultLimit, @DefaultValue("500") @Min(1) int eventsMaxLimit) {
	}

}
