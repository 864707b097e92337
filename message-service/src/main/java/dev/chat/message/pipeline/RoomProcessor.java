package dev.chat.message.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.kafka.core.KafkaOperations;
import org.springframework.stereotype.Component;

import dev.chat.common.events.MessageCommand;
import dev.chat.common.events.MessageEvent;
import dev.chat.common.kafka.Topics;
import dev.chat.message.MessageProperties;
import dev.chat.message.MessageRules;
import dev.chat.message.membership.Memberships;

/**
 * Processes one room's share of a polled batch, in order: consecutive sends as one
 * {@link SendStep}, each edit or delete as a {@link ChangeStep}; then publishes the events of
 * every step that completed, in order, and waits for Kafka to acknowledge them.
 *
 * <p>
 * The result names the first command that is not done (stored and its event acknowledged), so
 * the listener can commit exactly the offsets before it. A failed step stops the room's share:
 * later commands of the room wait for the retry, which keeps the room's order.
 */
@Component
class RoomProcessor {

	private static final Logger log = LoggerFactory.getLogger(RoomProcessor.class);

	/**
	 * What became of a room's share.
	 *
	 * @param failedIndex the batch index of the first command not done; -1 when all are
	 * @param failure why, when one is not
	 */
	record Result(String roomId, int failedIndex, Throwable failure) {

		boolean failed() {
			return failedIndex >= 0;
		}

	}

	private final Memberships memberships;

	private final RoomCursors cursors;

	private final SendStep sends;

	private final ChangeStep changes;

	private final KafkaOperations<String, Object> kafka;

	private final MessageProperties.Pipeline properties;

	RoomProcessor(Memberships memberships, RoomCursors cursors, SendStep sends, ChangeStep changes,
			KafkaOperations<String, Object> kafka, MessageProperties properties) {
		this.memberships = memberships;
		this.cursors = cursors;
		this.sends = sends;
		this.changes = changes;
		this.kafka = kafka;
		this.properties = properties.pipeline();
	}

	/**
	 * @param roomId the record key the commands share
	 * @param partition their partition
	 * @param commands the room's commands of the batch, in partition order
	 */
	Mono<Result> process(String roomId, int partition, List<Command> commands) {
		RoomState room = new RoomState(roomId, partition, commands.getFirst().index(), memberships);
		Mono<Void> steps = MessageRules.isRoomId(roomId) ? cursors.lastSeq(roomId, partition)
			.doOnNext(lastSeq -> room.lastSeq = lastSeq)
			.thenMany(Flux.fromIterable(runs(commands)).concatMap(run -> {
				room.current = run.getFirst().index();
				return run.getFirst().command() instanceof MessageCommand.SendMessage ? sends.apply(room, run)
						: changes.apply(room, run.getFirst());
			}))
			.then()
			// No room id this service can store (nor a partition it could own): reject, touch nothing.
			: Flux.fromIterable(commands).doOnNext(command -> rejectUnreadableRoom(room, command)).then();
		return steps.timeout(properties.roomTimeout())
			.then(Mono.fromSupplier(() -> {
				cursors.remember(roomId, partition, room.lastSeq);
				return new Result(roomId, -1, null);
			}))
			.onErrorResume(failure -> {
				// A write may have landed although it failed here: recover from the store next time.
				cursors.forget(roomId);
				log.atWarn()
					.addKeyValue("roomId", roomId)
					.addKeyValue("partition", partition)
					.setCause(failure)
					.log("processing stopped; the rest of the room's commands will be retried");
				return Mono.just(new Result(roomId, room.current, failure));
			})
			.flatMap(result -> publish(room.events()).thenReturn(result)
				.onErrorResume(failure -> Mono.just(new Result(roomId, commands.getFirst().index(), failure))));
	}

	/** Splits the commands into steps: each run of sends is one, each edit or delete another. */
	private static List<List<Command>> runs(List<Command> commands) {
		List<List<Command>> runs = new ArrayList<>();
		List<Command> sends = new ArrayList<>();
		for (Command command : commands) {
			if (command.command() instanceof MessageCommand.SendMessage) {
				sends.add(command);
				continue;
			}
			if (!sends.isEmpty()) {
				runs.add(sends);
				sends = new ArrayList<>();
			}
			runs.add(List.of(command));
		}
		if (!sends.isEmpty()) {
			runs.add(sends);
		}
		return runs;
	}

	private static void rejectUnreadableRoom(RoomState room, Command command) {
		log.atInfo()
			.addKeyValue("key", room.roomId)
			.addKeyValue("commandId", command.command().commandId())
			.log("command rejected: its record key is not a valid room id");
		room.publishLater(List.of(room.rejection(command.command(), Rejections.INVALID_COMMAND)));
	}

	/** Publishes in order (one producer, one partition per room) and waits for every ack. */
	private Mono<Void> publish(List<MessageEvent> events) {
		if (events.isEmpty()) {
			return Mono.empty();
		}
		// send() may block for metadata while the broker is unreachable: not on a store thread.
		return Mono.fromCallable(() -> {
			List<CompletableFuture<?>> acks = new ArrayList<>(events.size());
			for (MessageEvent event : events) {
				acks.add(kafka.send(Topics.MESSAGES, event.roomId(), event));
			}
			return CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new));
		}).subscribeOn(Schedulers.boundedElastic()).flatMap(Mono::fromFuture).then();
	}

}
