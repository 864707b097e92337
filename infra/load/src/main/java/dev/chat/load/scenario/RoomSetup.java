package dev.chat.load.scenario;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Rooms for a scenario, created through the gateway with bounded concurrency and reused across
 * runs from a cache file: 5,000 rooms with ten joins each take minutes to make. A room counts as
 * ready only when every member can read its history, because memberships reach message-service
 * asynchronously and a send before that is refused.
 */
final class RoomSetup {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Duration MEMBERSHIP_WAIT = Duration.ofSeconds(60);

	private final Gateway gateway;

	private final Path benchDir;

	private final int concurrency;

	RoomSetup(Gateway gateway, Path benchDir, int concurrency) {
		this.gateway = gateway;
		this.benchDir = benchDir;
		this.concurrency = concurrency;
	}

	/** A room and the users (pool numbers) who are its members; the first created it. */
	record Room(String id, List<Integer> members) {
	}

	/**
	 * {@code count} public rooms, room {@code r} with the members {@code membersOf.apply(r)},
	 * cached under {@code key}. A cached set is checked on its first and last room.
	 */
	List<Room> rooms(String key, int count, IntFunction<List<Integer>> membersOf) {
		Path cache = benchDir.resolve("rooms-" + key + ".json");
		if (Files.isRegularFile(cache)) {
			List<Room> cached = JSON.readValue(cache.toFile(), new TypeReference<List<Room>>() {
			});
			if (cached.size() == count && readable(cached.get(0)) && readable(cached.get(count - 1))) {
				return cached;
			}
		}
		String prefix = "bench-" + key + "-" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36) + "-";
		ExecutorService pool = Executors.newFixedThreadPool(concurrency);
		try {
			List<Future<Room>> made = new ArrayList<>();
			for (int r = 0; r < count; r++) {
				int number = r;
				made.add(pool.submit(() -> create(prefix + number, membersOf.apply(number))));
			}
			List<Room> rooms = new ArrayList<>();
			for (Future<Room> room : made) {
				rooms.add(room.get());
			}
			// Every member of every room, checked in parallel after all joins went out.
			List<Future<?>> checks = new ArrayList<>();
			for (Room room : rooms) {
				for (int member : room.members()) {
					checks.add(pool.submit(() -> awaitMember(room.id(), member)));
				}
			}
			for (Future<?> check : checks) {
				check.get();
			}
			Files.createDirectories(benchDir);
			JSON.writerWithDefaultPrettyPrinter().writeValue(cache.toFile(), rooms);
			return rooms;
		}
		catch (Exception ex) {
			throw new IllegalStateException("could not set up the rooms: " + ex.getMessage(), ex);
		}
		finally {
			pool.shutdownNow();
		}
	}

	private boolean readable(Room room) {
		return gateway.get(room.members().get(0), "/api/rooms/" + room.id() + "/messages?limit=1").status() == 200;
	}

	private Room create(String name, List<Integer> members) {
		String body = gateway
			.post(members.get(0), "/api/rooms", "{\"name\":\"" + name + "\",\"visibility\":\"public\"}")
			.expect(201)
			.body();
		String id = JSON.readTree(body).get("id").asString();
		for (int member : members.subList(1, members.size())) {
			gateway.post(member, "/api/rooms/" + id + "/join", null).expect(200, 204);
		}
		return new Room(id, List.copyOf(members));
	}

	/** A bounded poll: membership reaches message-service through Kafka, usually within a second. */
	private void awaitMember(String roomId, int member) {
		long deadline = System.nanoTime() + MEMBERSHIP_WAIT.toNanos();
		long pause = 20_000_000;
		while (gateway.get(member, "/api/rooms/" + roomId + "/messages?limit=1").status() != 200) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("user " + member + " cannot read room " + roomId + " after "
						+ MEMBERSHIP_WAIT.toSeconds() + " s");
			}
			LockSupport.parkNanos(pause);
			pause = Math.min(pause * 2, 500_000_000);
		}
	}

}
