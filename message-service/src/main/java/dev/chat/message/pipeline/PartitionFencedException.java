package dev.chat.message.pipeline;

import org.apache.kafka.common.errors.RetriableException;

/**
 * Another instance took the partition of these commands ({@link PartitionFence}): this one wrote
 * nothing more for them and left them uncommitted. Retriable, so the error handler retries it as
 * it does an outage instead of dead-lettering it: the next poll hands the partition over in the
 * rebalance, and its retries with it.
 */
class PartitionFencedException extends RetriableException {

	PartitionFencedException(int partition) {
		super("partition " + partition + " of the inbound commands is owned by another instance now");
	}

}
