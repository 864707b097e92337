package dev.chat.message.pipeline;

import dev.chat.common.events.MessageCommand;

/**
 * A command of a polled batch.
 *
 * @param index its position in the batch, which is what a failure is reported by
 * @param key the record key: the room whose partition, and so whose order, the command is in
 * @param command the command
 */
record Command(int index, String key, MessageCommand command) {
}
