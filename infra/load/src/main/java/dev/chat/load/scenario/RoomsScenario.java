package dev.chat.load.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

import org.HdrHistogram.Histogram;

import dev.chat.load.Options;
import dev.chat.load.measure.DeliveryCounter;
import dev.chat.load.measure.DeliveryRecorder;
import dev.chat.load.measure.LatencySummary;
import dev.chat.load.measure.OpenLoopSchedule;
import dev.chat.load.measure.SendLog;
import dev.chat.load.report.Chart;
import dev.chat.load.report.Result;
import dev.chat.load.report.Svg;
import dev.chat.load.report.Table;
import dev.chat.load.target.Target;

/**
 * {@code rooms}: many small rooms over both gateway nodes, every member a connection of its own
 * and every member sending now and then (the total rate is {@code --rate}), through the whole
 * send path. Measures send-to-delivery latency and how many messages per second the system
 * stores: a message counts as stored once any member received it, since message-service
 * publishes only what it stored.
 */
public final class RoomsScenario {

	private RoomsScenario() {
	}

	public record RoomsResult(String target, int rooms, int members, int connections, int opened, long failed,
			Map<String, Long> failures, double offeredPerSecond, long sent, long accepted, double storedPerSecond,
			LatencySummary latency, LatencySummary latencyFromSend, OpenLoopSchedule.Progress schedule,
			DeliveryCounter.Counts counts, Map<String, Long> refusals,
			@com.fasterxml.jackson.annotation.JsonIgnore Histogram histogram) implements Result {

		@Override
		public List<Table> tables() {
			return List.of(new Table("rooms: %,d rooms of %d members on %s (%,d connections)".formatted(rooms, members,
					target, connections), List.of("what", "value"),
					List.of(List.of("connections opened / failed", "%,d / %,d %s".formatted(opened, failed,
							failures.isEmpty() ? "" : failures.toString())),
							List.of("msg/s offered", "%.1f".formatted(offeredPerSecond)),
							List.of("sent / acked", "%,d / %,d".formatted(sent, accepted)),
							List.of("stored msg/s (received by a member)", "%.1f".formatted(storedPerSecond)),
							List.of("send to delivery (from schedule)", latency.toString()),
							List.of("send to delivery (from send)", latencyFromSend.toString()),
							List.of("deliveries expected / received", "%,d / %,d".formatted(counts.expected(),
									counts.received())),
							List.of("lost / duplicated / late", "%d / %d / %d".formatted(counts.lost(),
									counts.duplicated(), counts.late())),
							List.of("refused sends", refusals.isEmpty() ? "none" : refusals.toString()),
							List.of("sends behind schedule", Long.toString(schedule.behind())))));
		}

		@Override
		public List<Chart> charts() {
			return List.of(new Chart("latency", Svg.percentiles("send to delivery, %,d rooms".formatted(rooms),
					List.of("from schedule"), List.of(histogram))));
		}

	}

	public static RoomsResult run(BenchContext context) {
		Options options = context.options();
		int roomCount = options.integer("rooms");
		int members = options.integer("members");
		int users = context.tokens().users();
		if (members > users) {
			throw new IllegalArgumentException("--members=" + members + " needs at least as many --users, was " + users);
		}
		// Connection c is member c % members of room c / members, and its user is c % users (the
		// target's round-robin), so a room's members are exactly the users of its connections.
		List<RoomSetup.Room> rooms = context.rooms().rooms("r" + roomCount + "x" + members + "-u" + users, roomCount,
				r -> {
					List<Integer> list = new ArrayList<>();
					for (int k = 0; k < members; k++) {
						list.add((r * members + k) % users);
					}
					return list;
				});
		int connections = roomCount * members;
		double rate = options.decimal("rate");
		double seconds = options.duration("duration").toMillis() / 1000.0;
		int count = OpenLoopSchedule.count(rate, seconds);
		SendLog sends = new SendLog(count);
		DeliveryRecorder recorder = new DeliveryRecorder(context.runId(), sends, connections,
				options.duration("late").toNanos());
		List<Integer> ports = List.of(context.config().ports().gateway(), context.config().ports().gateway2());
		context.out().printf("rooms: %,d rooms x %d members = %,d connections over %s, %s msg/s for %s%n", roomCount,
				members, connections, ports, options.string("rate"), options.string("duration"));
		try (Target target = context.chatTarget(ports)) {
			Crowd crowd = Crowd.open(target, 0, connections, options.decimal("connect-rate"),
					c -> rooms.get(c / members).id(), c -> (connection, body, at) -> recorder.delivered(c, body, at));
			crowd.await(Duration.ofSeconds(120).plusSeconds((long) (connections / options.decimal("connect-rate"))),
					() -> {
					});
			context.out().printf("  %,d open, %,d failed %s%n", crowd.opened(), crowd.failed(), crowd.reasons());
			Sender sender = new Sender.FromMembers(connections, crowd::get, c -> rooms.get(c / members).id());
			Step.Measured measured = stepFor(context, crowd, sender, sends, recorder, rate, seconds, members, connections,
					options.integer("size"), options.duration("grace").toNanos());
			// Stored: accepted messages that reached at least one member.
			long stored = 0;
			BitSet accepted = sends.acceptedSet();
			for (int msgNo = accepted.nextSetBit(0); msgNo >= 0; msgNo = accepted.nextSetBit(msgNo + 1)) {
				int room = (msgNo % connections) / members;
				for (int k = 0; k < members; k++) {
					if (recorder.counter(0).hasAll(room * members + k, single(msgNo))) {
						stored++;
						break;
					}
				}
			}
			crowd.closeAll(Duration.ofSeconds(30));
			return new RoomsResult(target.name(), roomCount, members, connections, crowd.opened(), crowd.failed(),
					crowd.reasons(), rate, count, accepted.cardinality(), stored / seconds,
					measured.latency(), measured.latencyFromSend(), measured.schedule(), measured.counts(),
					sender.refusals(), measured.fromSchedule());
		}
	}

	private static BitSet single(int bit) {
		BitSet set = new BitSet(bit + 1);
		set.set(bit);
		return set;
	}

	/** Like {@link Step#run}, but each connection expects only its own room's messages. */
	private static Step.Measured stepFor(BenchContext context, Crowd crowd, Sender sender, SendLog sends, DeliveryRecorder recorder,
			double rate, double seconds, int members, int connections, int size, long grace) {
		int count = OpenLoopSchedule.count(rate, seconds);
		long begin = System.nanoTime();
		OpenLoopSchedule.Progress progress = OpenLoopSchedule.startingNow(rate).run(count, (n, due) -> {
			String body = dev.chat.load.measure.Body.format(context.runId(), n, due, size);
			sends.sent(n, System.nanoTime() - due);
			sender.send(n, body, () -> sends.accepted(n));
		});
		double sentSeconds = (System.nanoTime() - begin) / 1e9;
		int roomCount = connections / members;
		long deadline = System.nanoTime() + grace;
		DeliveryCounter.Counts counts;
		BitSet[] byRoom;
		do {
			java.util.concurrent.locks.LockSupport.parkNanos(100_000_000);
			byRoom = new BitSet[roomCount];
			for (int r = 0; r < roomCount; r++) {
				byRoom[r] = new BitSet();
			}
			BitSet accepted = sends.acceptedSet();
			for (int msgNo = accepted.nextSetBit(0); msgNo >= 0; msgNo = accepted.nextSetBit(msgNo + 1)) {
				byRoom[(msgNo % connections) / members].set(msgNo);
			}
			BitSet[] expected = byRoom;
			counts = recorder.counter(0).counts(c -> crowd.get(c) == null ? Step.NONE : expected[c / members]);
		}
		while (counts.lost() > 0 && System.nanoTime() < deadline);
		return new Step.Measured(rate, sentSeconds, progress, sends.acceptedSet().cardinality(), counts,
				recorder.fromSchedule(0).interval(), recorder.fromSend(0).interval(), (System.nanoTime() - begin) / 1e9);
	}

}
