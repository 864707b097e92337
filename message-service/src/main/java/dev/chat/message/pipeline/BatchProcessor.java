package dev.chat.message.pipeline;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import io.micrometer.observation.Observation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.kafka.core.KafkaOperations;
import org.springframework.stereotype.Component;

import dev.chat.common.events.MessageCommand;
import dev.chat.common.events.MessageEvent;
import dev.chat.common.kafka.PartitionFence;
import dev.chat.common.kafka.Topics;
import dev.chat.message.MessageProperties;
import dev.chat.message.MessageRules;
import dev.chat.message.membership.Memberships;
import dev.chat.message.store.MessageStore;

/**
 * Processes the rooms of a polled batch side by side, each room's commands in order, in steps: a
 * run of consecutive sends is one step, each edit or delete another. Step by step over all rooms
 * (first steps together, then second steps, ...), so the send runs of many rooms are stored
 * together by one {@link SendStep}. Then moves the rooms' counters and publishes each room's
 * events in order, and waits for Kafka to acknowledge them.
 *
 * <p>
 * Each room's result names its first command that is not done (stored and its event
 * acknowledged), so the listener can commit exactly the offsets before it. A failed step stops
 * its room: the room's later commands wait for the retry, which keeps the room's order. A room
 * whose partition another instance has taken ({@link PartitionFence}) is withheld: nothing more
 * written, nothing published, none of its commands done.
 */
@Component
class BatchProcessor {

	private static final Logger log = LoggerFactory.getLogger(BatchProcessor.class);

	/**
	 * A room's commands of the batch.
	 *
	 * @param roomId the record key they share
	 * @param partition their partition
	 * @param commands in partition order
	 */
	record Share(String roomId, int partition, List<Command> commands) {
	}

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

	/** One room's progress through the batch. */
	private static final class Room {

		final Share share;

		final RoomState state;

		/** The room's last seq before the batch. */
		long counted = -1;

		final List<List<Command>> steps;

		volatile int failedIndex = -1;

		volatile Throwable failure;

		/** Nothing of the room's share may be published: its partition is fenced, or unsure. */
		volatile boolean withheld;

		Room(Share share, RoomState state) {
			this.share = share;
			this.state = state;
			this.steps = steps(share.commands());
		}

		boolean active(int step) {
			return failedIndex < 0 && step < steps.size();
		}

		void fail(int index, Throwable cause) {
			if (failedIndex < 0) {
				failedIndex = index;
				failure = cause;
			}
		}

		/** Nothing of the share is done: what its steps stored is left to the partition's owner. */
		void withhold(Throwable cause) {
			withheld = true;
			failedIndex = share.commands().getFirst().index();
			failure = cause;
		}

	}

	private final MessageStore store;

	private final Memberships memberships;

	private final RoomCursors cursors;

	private final SendStep sends;

	private final ChangeStep changes;

	private final PartitionFence fence;

	private final KafkaOperations<String, Object> kafka;

	private final MessageProperties.Pipeline properties;

	BatchProcessor(MessageStore store, Memberships memberships, RoomCursors cursors, SendStep sends,
			ChangeStep changes, PartitionFence fence, KafkaOperations<String, Object> kafka,
			MessageProperties properties) {
		this.store = store;
		this.memberships = memberships;
		this.cursors = cursors;
		this.sends = sends;
		this.changes = changes;
		this.fence = fence;
		this.kafka = kafka;
		this.properties = properties.pipeline();
	}

	Mono<List<Result>> process(List<Share> shares) {
		List<Room> rooms = new ArrayList<>();
		List<Room> unreadable = new ArrayList<>();
		for (Share share : shares) {
			Room room = new Room(share, new RoomState(share.roomId(), share.partition(), memberships));
			(MessageRules.isRoomId(share.roomId()) ? rooms : unreadable).add(room);
		}
		// No room id this service can store (nor own a partition of): reject, touch nothing.
		unreadable.forEach(room -> room.share.commands()
			.forEach(command -> room.state.publishLater(List.of(invalidKey(room.state, command)))));
		int stepCount = rooms.stream().mapToInt(room -> room.steps.size()).max().orElse(0);
		List<Room> all = new ArrayList<>(rooms);
		all.addAll(unreadable);
		// The fence is checked before anything is read for writing, before each further write step
		// and before the counters and events: a partition taken meanwhile writes nothing more.
		return fenceOff(all)
			.thenMany(Flux.fromIterable(rooms).filter(room -> room.active(0)))
			.flatMap(room -> cursors.lastSeq(room.share.roomId(), room.share.partition())
				.doOnNext(lastSeq -> {
					room.state.lastSeq = lastSeq;
					room.counted = lastSeq;
				})
				.timeout(properties.roomTimeout())
				.onErrorResume(failure -> stop(room, room.share.commands().getFirst().index(), failure)),
					properties.roomParallelism())
			.thenMany(Flux.range(0, stepCount)
				.concatMap(step -> (step == 0 ? Mono.<Void>empty() : fenceOff(rooms)).then(Mono.defer(() -> step(rooms, step)))))
			.then(Mono.defer(() -> fenceOff(all)))
			.then(Mono.defer(() -> finish(rooms, unreadable)));
	}

	/**
	 * Withholds the rooms whose partition another instance has taken ({@link PartitionFence}), and
	 * every room when the store cannot tell: their commands stay uncommitted, what their steps
	 * stored so far is recovered by whoever processes them next.
	 */
	private Mono<Void> fenceOff(List<Room> rooms) {
		Set<Integer> partitions = new HashSet<>();
		rooms.stream().filter(room -> !room.withheld).forEach(room -> partitions.add(room.share.partition()));
		if (partitions.isEmpty()) {
			return Mono.empty();
		}
		return fence.fenced(partitions).doOnNext(fenced -> {
			for (Room room : rooms) {
				if (!room.withheld && fenced.contains(room.share.partition())) {
					room.withhold(new PartitionFencedException(room.share.partition()));
				}
			}
		}).onErrorResume(failure -> {
			log.atWarn().setCause(failure).log("partition ownership unknown; the batch is withheld and retried");
			rooms.forEach(room -> room.withhold(failure));
			return Mono.empty();
		}).then();
	}

	/**
	 * The last writes of the batch, side by side: every room's counter moved past the entries
	 * its completed steps stored, and their events published. Either may land first: an event
	 * ahead of its counter only means history shows the message a moment later; a counter whose
	 * write failed is moved by the next {@linkplain MessageStore#recover recovery} of the room,
	 * which the failure triggers.
	 */
	private Mono<List<Result>> finish(List<Room> rooms, List<Room> unreadable) {
		Map<String, Long> counters = new HashMap<>();
		rooms.stream()
			.filter(room -> !room.withheld && room.counted >= 0 && room.state.lastSeq > room.counted)
			.forEach(room -> counters.put(room.share.roomId(), room.state.lastSeq));
		Mono<Throwable> counted = store.advance(counters).then(Mono.<Throwable>empty()).onErrorResume(Mono::just);
		Mono<List<Result>> published = Flux.concat(Flux.fromIterable(rooms), Flux.fromIterable(unreadable))
			.flatMap(this::publish, properties.roomParallelism())
			.collectList();
		return Mono.zip(counted.map(Optional::of).defaultIfEmpty(Optional.empty()), published).map(done -> {
			if (done.getT1().isEmpty()) {
				return done.getT2();
			}
			Throwable failure = done.getT1().get();
			log.atWarn().setCause(failure).log("room counters not moved; those rooms will be recovered and retried");
			return done.getT2().stream().map(result -> {
				if (!counters.containsKey(result.roomId())) {
					return result;
				}
				cursors.forget(result.roomId());
				int first = rooms.stream()
					.filter(room -> room.share.roomId().equals(result.roomId()))
					.findFirst()
					.map(room -> room.share.commands().getFirst().index())
					.orElse(0);
				return new Result(result.roomId(), first, failure);
			}).toList();
		});
	}

	/** The {@code step}-th step of every room that has one and has not failed. */
	private Mono<Void> step(List<Room> rooms, int step) {
		List<SendStep.Run> runs = new ArrayList<>();
		List<Room> sending = new ArrayList<>();
		List<Room> changing = new ArrayList<>();
		for (Room room : rooms) {
			if (!room.active(step)) {
				continue;
			}
			List<Command> commands = room.steps.get(step);
			if (commands.getFirst().command() instanceof MessageCommand.SendMessage) {
				runs.add(new SendStep.Run(room.state, commands));
				sending.add(room);
			}
			else {
				changing.add(room);
			}
		}
		// The send runs of all rooms are stored together: if that fails, it fails for each of them.
		Mono<Void> sent = runs.isEmpty() ? Mono.empty()
				: sends.apply(runs).timeout(properties.roomTimeout()).onErrorResume(failure -> {
					sending.forEach(room -> stop(room, room.steps.get(step).getFirst().index(), failure));
					return Mono.empty();
				});
		Mono<Void> changed = Flux.fromIterable(changing).flatMap(room -> {
			Command command = room.steps.get(step).getFirst();
			return changes.apply(room.state, command)
				.timeout(properties.roomTimeout())
				.onErrorResume(failure -> stop(room, command.index(), failure));
		}, properties.roomParallelism()).then();
		return Mono.when(sent, changed);
	}

	/** Stops the room at the command {@code index}; completes empty, for use in onErrorResume. */
	private static <T> Mono<T> stop(Room room, int index, Throwable failure) {
		room.fail(index, failure);
		log.atWarn()
			.addKeyValue("roomId", room.share.roomId())
			.addKeyValue("partition", room.share.partition())
			.setCause(failure)
			.log("processing stopped; the rest of the room's commands will be retried");
		return Mono.empty();
	}

	/**
	 * Publishes a room's events of the steps that completed, then answers its result. A room that
	 * failed is forgotten, so its next use recovers it from the store: a write may have landed
	 * although it failed here.
	 */
	private Mono<Result> publish(Room room) {
		String roomId = room.share.roomId();
		if (room.withheld) {
			cursors.forget(roomId);
			return Mono.just(new Result(roomId, room.failedIndex, room.failure));
		}
		return publish(room.state.events(), room.share.commands()).then(Mono.fromSupplier(() -> {
			if (room.failedIndex >= 0) {
				cursors.forget(roomId);
			}
			else if (MessageRules.isRoomId(roomId)) {
				cursors.remember(roomId, room.share.partition(), room.state.lastSeq);
			}
			return new Result(roomId, room.failedIndex, room.failure);
		})).onErrorResume(failure -> {
			cursors.forget(roomId);
			return Mono.just(new Result(roomId, room.share.commands().getFirst().index(), failure));
		});
	}

	/**
	 * Publishes in order (one producer, one partition per room) and waits for every ack. Each
	 * event is sent in its command's span, so its record's {@code traceparent} continues the
	 * command's trace: a room's events are its commands' answers, one each and in command order
	 * (every step answers each of its commands with one event, and a room stops at its first
	 * failed step), so the i-th event is the i-th command's.
	 */
	private Mono<Void> publish(List<MessageEvent> events, List<Command> commands) {
		if (events.isEmpty()) {
			return Mono.empty();
		}
		// send() may block for metadata while the broker is unreachable: not on a store thread.
		return Mono.fromCallable(() -> {
			List<CompletableFuture<?>> acks = new ArrayList<>(events.size());
			for (int i = 0; i < events.size(); i++) {
				MessageEvent event = events.get(i);
				Observation observation = i < commands.size() ? commands.get(i).observation() : Observation.NOOP;
				try (Observation.Scope scope = observation.openScope()) {
					// In the command's span: with debug on, a message's line here and the gateway's
					// carry the same traceId.
					log.atDebug()
						.addKeyValue("roomId", event.roomId())
						.addKeyValue("eventId", event.eventId())
						.log("publishing event");
					acks.add(kafka.send(Topics.MESSAGES, event.roomId(), event));
				}
			}
			return CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new));
		}).subscribeOn(Schedulers.boundedElastic()).flatMap(Mono::fromFuture).then();
	}

	/** Splits a room's commands into steps: each run of sends is one, each edit or delete another. */
	private static List<List<Command>> steps(List<Command> commands) {
		List<List<Command>> steps = new ArrayList<>();
		List<Command> sends = new ArrayList<>();
		for (Command command : commands) {
			if (command.command() instanceof MessageCommand.SendMessage) {
				sends.add(command);
				continue;
			}
			if (!sends.isEmpty()) {
				steps.add(sends);
				sends = new ArrayList<>();
			}
			steps.add(List.of(command));
		}
		if (!sends.isEmpty()) {
			steps.add(sends);
		}
		return steps;
	}

	private static MessageEvent invalidKey(RoomState room, Command command) {
		log.atInfo()
			.addKeyValue("key", room.roomId)
			.addKeyValue("commandId", command.command().commandId())
			.log("command rejected: its record key is not a valid room id");
		return room.rejection(command.command(), Rejections.INVALID_COMMAND);
	}

}
