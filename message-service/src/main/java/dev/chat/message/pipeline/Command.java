package dev.chat.message.pipeline;

import io.micrometer.observation.Observation;

import dev.chat.common.events.MessageCommand;

/**
 * A command of a polled batch.
 *
 * @param index its position in the batch, which is what a failure is reported by
 * @param key the record key: the room whose partition, and so whose order, the command is in
 * @param command the command
 * @param observation its span {@code chat.message.process}, the child of the producer span its
 * record's {@code traceparent} names, from the poll until its event is acknowledged by Kafka
 * (the parent of that event's producer span); {@link Observation#NOOP} when untraced
 */
record Command(int index, String key, MessageCommand command, Observation observation) {

	Command(int index, String key, MessageCommand command) {
		this(index, key, command, Observation.NOOP);
	}

}
