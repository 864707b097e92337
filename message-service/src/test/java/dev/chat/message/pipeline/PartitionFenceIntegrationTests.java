package dev.chat.message.pipeline;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.awaitility.Awaitility;
import reactor.core.publisher.Flux;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.data.mongodb.ReactiveMongoDatabaseFactory;

import dev.chat.common.events.MessageCommand;
import dev.chat.common.events.MessageEvent;
import dev.chat.common.events.RoomEvent;
import dev.chat.common.kafka.PartitionFence;
import dev.chat.common.kafka.Topics;
import dev.chat.message.ChatTopics;
import dev.chat.message.MessageProperties;
import dev.chat.message.MessageServiceTest;
import dev.chat.message.membership.Memberships;
import dev.chat.message.store.Entry;
import dev.chat.message.store.MessageStore;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PartitionFence} against FerretDB, with rival instances played by fences of their own on
 * the same database, and the {@link BatchProcessor} of a fenced partition. Partitions are numbers
 * no topic has, so the service's own consumer never meets them.
 */
@MessageServiceTest
class PartitionFenceIntegrationTests {

	@Autowired
	private BatchProcessor processor;

	@Autowired
	private PartitionFence fence;

	@Autowired
	private MessageStore store;

	@Autowired
	private Memberships memberships;

	@Autowired
	private ReactiveMongoDatabaseFactory database;

	@Autowired
	private Environment environment;

	@Autowired
	private MessageProperties properties;

	private final ChatTopics topics = new ChatTopics();

	@AfterEach
	void close() {
		topics.close();
	}

	@Test
	void anInstanceTakingAPartitionFencesItsPreviousOwnerUntilKafkaAssignsItBack() {
		int partition = partition();
		PartitionFence first = rival();
		PartitionFence second = rival();
		assertThat(first.fenced(Set.of(partition)).block()).isEmpty();

		long begin = System.nanoTime();
		assertThat(second.fenced(Set.of(partition)).block()).as("taken").isEmpty();
		assertThat(Duration.ofNanos(System.nanoTime() - begin)).as("the take waited for the previous owner's writes")
			.isGreaterThanOrEqualTo(properties.pipeline().fenceGrace());

		assertThat(first.fenced(Set.of(partition)).block()).containsExactly(partition);
		assertThat(second.fenced(Set.of(partition)).block()).isEmpty();
		assertThat(first.fenced(Set.of(partition)).block()).as("not taken back by itself").containsExactly(partition);

		first.assigned(Set.of(partition));
		assertThat(first.fenced(Set.of(partition)).block()).isEmpty();
		assertThat(second.fenced(Set.of(partition)).block()).containsExactly(partition);
	}

	@Test
	void instancesTakingAPartitionAtTheSameTimeGetDistinctEpochsAndAllButTheLastAreFenced() {
		int partition = partition();
		List<PartitionFence> rivals = List.of(rival(), rival(), rival());

		Flux.fromIterable(rivals).flatMap(rival -> rival.fenced(Set.of(partition))).blockLast();

		List<Boolean> fenced = rivals.stream()
			.map(rival -> rival.fenced(Set.of(partition)).block().contains(partition))
			.toList();
		assertThat(fenced).as("fenced, per rival").containsOnlyOnce(false);
	}

		@Test
	void aFencedPartitionStoresAndPublishesNothingAndItsCommandsAreDoneOnceWhenItIsAssignedAgain() {
		int partition = partition();
		String roomId = room();
		ChatTopics.Recorder events = topics.record(Topics.MESSAGES);
		assertThat(process(roomId, partition, "m-1").failed()).isFalse();

		rival().fenced(Set.of(partition)).block();
		BatchProcessor.Result fenced = process(roomId, partition, "m-2", "m-3");

		assertThat(fenced.failedIndex()).as("none of the share done").isZero();
		assertThat(fenced.failure()).isInstanceOf(PartitionFencedException.class);
		assertThat(store.lastSeq(roomId).block()).isEqualTo(1);
		assertThat(store.bucket(roomId, 0).block().entries()).extracting(Entry::seq).containsExactly(1L);

		fence.assigned(Set.of(partition));
		assertThat(process(roomId, partition, "m-2", "m-3").failed()).isFalse();

		assertThat(store.lastSeq(roomId).block()).isEqualTo(3);
		assertThat(store.bucket(roomId, 0).block().entries()).extracting(Entry::seq).containsExactly(1L, 2L, 3L);
		Awaitility.await("the room's events, each once")
			.atMost(Duration.ofSeconds(10))
			.during(Duration.ofSeconds(1))
			.until(() -> events.events(roomId, MessageEvent.MessageCreated.class)
				.stream()
				.map(MessageEvent.MessageCreated::clientMsgId)
				.toList()
				.equals(List.of("m-1", "m-2", "m-3")));
	}

	private BatchProcessor.Result process(String roomId, int partition, String... clientMsgIds) {
		List<Command> commands = new ArrayList<>();
		for (String clientMsgId : clientMsgIds) {
			commands.add(new Command(commands.size(), roomId,
					MessageCommand.SendMessage.of(roomId, "alice", clientMsgId, "body of " + clientMsgId)));
		}
		return processor.process(List.of(new BatchProcessor.Share(roomId, partition, commands))).block().getFirst();
	}

	/** Another instance of the service on the same database. */
	private PartitionFence rival() {
		return new PartitionFence(database.getMongoDatabase().block().getCollection(PartitionFence.COLLECTION),
				Topics.MESSAGES_INBOUND, PartitionFence.ownerName(environment), properties.pipeline().fenceGrace());
	}

	private static int partition() {
		return 10_000 + ThreadLocalRandom.current().nextInt(1_000_000);
	}

	private String room() {
		String roomId = "room-" + UUID.randomUUID();
		memberships.apply(new RoomEvent.RoomCreated(UUID.randomUUID(), 1, Instant.now(), roomId, "r", "public", "alice"))
			.block();
		return roomId;
	}

}
