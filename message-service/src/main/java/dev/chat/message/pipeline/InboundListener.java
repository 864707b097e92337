package dev.chat.message.pipeline;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.log.LogAccessor;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.listener.ConsumerSeekAware;
import org.springframework.kafka.support.micrometer.KafkaRecordReceiverContext;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.kafka.support.serializer.SerializationUtils;
import org.springframework.stereotype.Component;

import dev.chat.common.events.MessageCommand;
import dev.chat.common.kafka.PartitionFence;
import dev.chat.common.kafka.Topics;
import dev.chat.message.kafka.KafkaConfiguration;

/**
 * Consumes {@code chat.messages.inbound} a polled batch at a time: the batch is split by room
 * (the record key) and handed to the {@link BatchProcessor}, which processes rooms side by side,
 * each room's commands one after another in partition order. The container commits the batch's offsets when this returns, that is after
 * every command is stored and its event acknowledged by Kafka.
 *
 * <p>
 * When some command is not done, the listener throws a {@link BatchListenerFailedException} naming
 * the first such command of the batch: everything before it is done (each room stops at its first
 * failure, and rooms are independent), so the error handler commits exactly those offsets and
 * redelivers the rest, which the idempotency keys make harmless. A record that cannot be
 * deserialized is reported the same way, and goes to the dead-letter topic without retries.
 */
@Component
class InboundListener implements ConsumerSeekAware {

	private static final LogAccessor log = new LogAccessor(InboundListener.class);

	/** The span of one command, from its poll to its event's acknowledgement. */
	static final String PROCESS = "chat.message.process";

	private static final String LISTENER_ID = "message-pipeline";

	private static final String GROUP = "message-service";

	private final BatchProcessor processor;

	private final RoomCursors cursors;

	private final PartitionFence fence;

	private final ObservationRegistry observations;

	InboundListener(BatchProcessor processor, RoomCursors cursors, PartitionFence fence,
			ObjectProvider<ObservationRegistry> observations) {
		this.processor = processor;
		this.cursors = cursors;
		this.fence = fence;
		this.observations = observations.getIfAvailable(() -> ObservationRegistry.NOOP);
	}

	@KafkaListener(id = LISTENER_ID, idIsGroup = false, topics = Topics.MESSAGES_INBOUND,
			containerFactory = KafkaConfiguration.COMMANDS_FACTORY)
	void onCommands(List<ConsumerRecord<String, MessageCommand>> records) {
		Map<String, List<Command>> rooms = new LinkedHashMap<>();
		Map<String, Integer> partitions = new LinkedHashMap<>();
		Set<String> waiting = new HashSet<>();
		int failedIndex = Integer.MAX_VALUE;
		Throwable failure = null;
		for (int i = 0; i < records.size(); i++) {
			ConsumerRecord<String, MessageCommand> record = records.get(i);
			String room = record.key() == null ? "" : record.key();
			if (waiting.contains(room)) {
				continue;
			}
			if (record.value() == null) {
				DeserializationException unreadable = SerializationUtils.getExceptionFromHeader(record,
						SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER, log);
				if (unreadable != null) {
					// The room's later commands wait until this record is dead-lettered.
					waiting.add(room);
					if (i < failedIndex) {
						failedIndex = i;
						failure = unreadable;
					}
				}
				continue;
			}
			rooms.computeIfAbsent(room, key -> new ArrayList<>())
				.add(new Command(i, room, record.value(), observe(record)));
			partitions.putIfAbsent(room, record.partition());
		}
		long begin = System.nanoTime();
		List<BatchProcessor.Share> shares = rooms.entrySet()
			.stream()
			.map(room -> new BatchProcessor.Share(room.getKey(), partitions.get(room.getKey()), room.getValue()))
			.toList();
		List<BatchProcessor.Result> results = List.of();
		try {
			results = processor.process(shares).block();
		}
		finally {
			stopObservations(shares, results);
		}
		log.debug(() -> "batch of " + records.size() + " records in " + shares.size() + " rooms processed in "
				+ (System.nanoTime() - begin) / 1_000_000 + " ms");
		for (BatchProcessor.Result result : results) {
			if (result.failed() && result.failedIndex() < failedIndex) {
				failedIndex = result.failedIndex();
				failure = result.failure();
			}
		}
		if (failure != null) {
			throw new BatchListenerFailedException("command at batch index " + failedIndex + " not done", failure,
					failedIndex);
		}
	}

	/**
	 * Starts a command's span: the container observes no batch (a batch holds the records of many
	 * traces), so each command continues its own record's trace here.
	 */
	private Observation observe(ConsumerRecord<String, MessageCommand> record) {
		return Observation
			.createNotStarted(PROCESS,
					() -> new KafkaRecordReceiverContext(record, LISTENER_ID, LISTENER_ID, GROUP, () -> null), observations)
			.contextualName(PROCESS)
			.highCardinalityKeyValue("chat.room", record.key() == null ? "" : record.key())
			.start();
	}

	/** Ends every command's span; the commands not done (to be retried) end with their failure. */
	private static void stopObservations(List<BatchProcessor.Share> shares, List<BatchProcessor.Result> results) {
		Map<String, BatchProcessor.Result> byRoom = new HashMap<>();
		results.forEach(result -> byRoom.put(result.roomId(), result));
		for (BatchProcessor.Share share : shares) {
			BatchProcessor.Result result = byRoom.get(share.roomId());
			for (Command command : share.commands()) {
				if (result == null) {
					command.observation().error(new IllegalStateException("batch not processed"));
				}
				else if (result.failed() && command.index() >= result.failedIndex() && result.failure() != null) {
					command.observation().error(result.failure());
				}
				command.observation().stop();
			}
		}
	}

	@Override
	public void onPartitionsAssigned(Map<TopicPartition, Long> assignments, ConsumerSeekCallback callback) {
		Set<Integer> partitions = numbers(assignments.keySet());
		cursors.forgetPartitions(partitions);
		fence.assigned(partitions);
	}

	@Override
	public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
		Set<Integer> numbers = numbers(partitions);
		cursors.forgetPartitions(numbers);
		fence.revoked(numbers);
	}

	private static Set<Integer> numbers(Collection<TopicPartition> partitions) {
		Set<Integer> numbers = new HashSet<>();
		partitions.forEach(partition -> numbers.add(partition.partition()));
		return numbers;
	}

}
