package dev.chat.e2e.presence;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

import dev.chat.common.kafka.Topics;
import dev.chat.e2e.support.ClusterStackExtension;
import dev.chat.e2e.support.Keycloak;
import dev.chat.stack.Component;
import dev.chat.stack.Stack;
import dev.chat.test.socket.SocketClient;

import static dev.chat.e2e.presence.PresenceClient.subjectOf;
import static dev.chat.e2e.presence.PresenceClient.subscribed;
import static dev.chat.e2e.support.Processes.logLines;
import static dev.chat.e2e.support.Processes.signal;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two presence-service instances on the cluster stack, users of one room on both gateway nodes,
 * and one instance is lost: killed (SIGKILL, started again once the other has its partitions), or
 * frozen past the session timeout (SIGSTOP, then SIGCONT: it wakes up as a zombie and must write
 * nothing for the partitions it lost). Users leave during the outage and after it. Presence stays
 * exact: every user who left is reported offline exactly once, nobody else ever is, nobody flaps
 * online again, and the REST list ends equal to the users still subscribed. The failover times
 * are printed.
 *
 * <p>
 * Run on demand, on the cluster stack ({@code -Dchat.cluster=true}, see the README).
 */
@ExtendWith(ClusterStackExtension.class)
@EnabledIfSystemProperty(named = "chat.cluster", matches = "true")
class PresenceServiceFailoverIntegrationTests {

	private static final String GROUP = "presence-service";

	private static final String LOST = "presence-service-2";

	private static final int USERS = 30;

	/** Session timeout (10 s) + grace (2 s) + slack for a loaded 2-core machine. */
	private static final Duration BOUND = Duration.ofSeconds(30);

	private enum Failure {

		SIGKILL, SIGSTOP

	}

	@ParameterizedTest
	@EnumSource(Failure.class)
	void losingAnInstanceKeepsPresenceExact(Failure failure, Stack stack, Keycloak keycloak) throws Exception {
		PresenceClient client = new PresenceClient(stack);
		Component lost = stack.component(LOST);
		String alice = keycloak.accessToken("alice");
		String room = client.room(alice);
		List<String> tokens = new ArrayList<>();
		for (int i = 0; i < USERS; i++) {
			String token = client.newUser("failover");
			client.join(token, room);
			tokens.add(token);
		}
		Map<String, SocketClient> sockets = new HashMap<>();
		List<String> frames = Collections.synchronizedList(new ArrayList<>());
		SocketClient observer = subscribed(client.gateway(), alice, room);
		Thread watching = Thread.ofVirtual().start(() -> record(observer, frames));
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.config().kafkaBootstrap()))) {
			awaitOwners(admin, owners -> owners.stream().anyMatch(owner -> owner.startsWith(LOST + "-")), "both instances own partitions");
			for (int i = 0; i < USERS; i++) {
				sockets.put(subjectOf(tokens.get(i)), subscribed(i % 2 == 0 ? client.gateway() : client.gateway2(), tokens.get(i), room));
			}
			Set<String> everyone = new HashSet<>(sockets.keySet());
			everyone.add(subjectOf(alice));
			awaitOnline(client, alice, room, everyone);
			// The REST list is written before the change is published: wait for the frames too.
			Awaitility.await("an online frame for every user")
				.atMost(BOUND)
				.pollInterval(Duration.ofMillis(100))
				.until(() -> sockets.keySet().stream().allMatch(user -> seen(frames, 0, room, user + " online")));
			int from = frames.size();

			long deadBefore = logLines(lost, "node declared dead");
			long fencedBefore = logLines(lost, "partition fenced");
			ProcessHandle process = lost.process().orElseThrow();
			long lostAt = System.nanoTime();
			if (failure == Failure.SIGKILL) {
				process.destroyForcibly();
				process.onExit().get(30, TimeUnit.SECONDS);
			}
			else {
				signal(process, "STOP");
			}
			// A third of the users leave during the outage, on partitions of both instances.
			List<String> leftDuring = new ArrayList<>(sockets.keySet()).subList(0, USERS / 3);
			leftDuring.forEach(user -> sockets.remove(user).close());
			// Every partition assigned again, none to the lost instance (mid-rebalance, the group
			// shows members with no assignment yet).
			int partitions = stack.config().partitions();
			awaitOwners(admin, owners -> owners.size() == partitions && owners.stream().noneMatch(owner -> owner.startsWith(LOST + "-")),
					"the partitions of " + LOST + " handed over");
			long handedOverAt = System.nanoTime();
			awaitOffline(frames, from, room, leftDuring);
			long offlineAt = System.nanoTime();
			if (failure == Failure.SIGKILL) {
				stack.start(lost);
			}
			else {
				signal(process, "CONT");
			}
			awaitOwners(admin, owners -> owners.stream().anyMatch(owner -> owner.startsWith(LOST + "-")), LOST + " back in the group");
			long backAt = System.nanoTime();

			// Another third leave once both instances run again.
			List<String> leftAfter = new ArrayList<>(sockets.keySet()).subList(0, USERS / 3);
			leftAfter.forEach(user -> sockets.remove(user).close());
			awaitOffline(frames, from, room, leftAfter);

			Set<String> staying = new HashSet<>(sockets.keySet());
			staying.add(subjectOf(alice));
			Awaitility.await("the REST list stays equal to the users still subscribed, past the grace period")
				.during(Duration.ofSeconds(4))
				.atMost(Duration.ofSeconds(15))
				.pollInterval(Duration.ofMillis(500))
				.untilAsserted(() -> assertThat(client.online(alice, room)).containsExactlyInAnyOrderElementsOf(staying));
			List<String> presence = presenceFrames(frames, from, room);
			// A process frozen past the node timeout has heartbeats queued, not missing: it declares no
			// gateway node dead when it wakes (its log is appended to across restarts).
			assertThat(logLines(lost, "node declared dead")).as("gateway nodes declared dead by " + LOST)
				.isEqualTo(deadBefore);
			Set<String> left = new HashSet<>(leftDuring);
			left.addAll(leftAfter);
			assertThat(presence).as("presence frames after everyone was online: one offline per user who left")
				.containsExactlyInAnyOrderElementsOf(left.stream().map(user -> user + " offline").toList());
			System.out.printf(
					"PRESENCE FAILOVER %s of %s: handed over %d ms after the failure; the %d users who left meanwhile "
							+ "offline %d ms after the failure; back in the group %d ms after it; %d more left after; "
							+ "offline frames %d for %d who left, 0 for the %d staying, 0 online again; fence: %d partitions fenced%n",
					failure, LOST, millis(handedOverAt - lostAt), leftDuring.size(), millis(offlineAt - lostAt),
					millis(backAt - lostAt), leftAfter.size(), presence.size(), left.size(), staying.size(),
					logLines(lost, "partition fenced") - fencedBefore);
		}
		finally {
			watching.interrupt();
			observer.close();
			sockets.values().forEach(SocketClient::close);
			if (failure == Failure.SIGSTOP && lost.process().isPresent()) {
				signal(lost.process().get(), "CONT");
			}
			if (!lost.isRunning()) {
				stack.start(lost);
			}
		}
	}

	private static void record(SocketClient observer, List<String> frames) {
		while (!Thread.currentThread().isInterrupted() && observer.isOpen()) {
			try {
				JsonNode frame = observer.next(Duration.ofSeconds(1));
				if ("presence".equals(frame.path("type").asString())) {
					frames.add(frame.path("roomId").asString() + " " + frame.path("userId").asString() + " "
							+ frame.path("status").asString());
				}
			}
			catch (AssertionError quiet) {
				// No frame this second.
			}
		}
	}

	/** The room's presence frames from index {@code from} on, as "userId status". */
	private static List<String> presenceFrames(List<String> frames, int from, String room) {
		synchronized (frames) {
			return frames.subList(from, frames.size())
				.stream()
				.filter(frame -> frame.startsWith(room + " "))
				.map(frame -> frame.substring(room.length() + 1))
				.toList();
		}
	}

	private static boolean seen(List<String> frames, int from, String room, String frame) {
		return presenceFrames(frames, from, room).contains(frame);
	}

	private static void awaitOffline(List<String> frames, int from, String room, List<String> users) {
		Awaitility.await("offline of the %d users who left, within %s".formatted(users.size(), BOUND))
			.atMost(BOUND)
			.pollInterval(Duration.ofMillis(100))
			.until(() -> users.stream().allMatch(user -> seen(frames, from, room, user + " offline")));
	}

	private static void awaitOnline(PresenceClient client, String token, String room, Set<String> users) {
		Awaitility.await("every user online")
			.atMost(BOUND)
			.pollInterval(Duration.ofMillis(500))
			.untilAsserted(() -> assertThat(client.online(token, room)).containsExactlyInAnyOrderElementsOf(users));
	}

	/** Waits until the owners (group.instance.id) of chat.presence.events's partitions satisfy the condition. */
	private static void awaitOwners(Admin admin, java.util.function.Predicate<List<String>> condition, String what) {
		Awaitility.await(what)
			.atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> condition.test(owners(admin)));
	}

	private static List<String> owners(Admin admin) throws Exception {
		List<String> owners = new ArrayList<>();
		for (MemberDescription member : admin.describeConsumerGroups(List.of(GROUP))
			.describedGroups()
			.get(GROUP)
			.get()
			.members()) {
			for (TopicPartition partition : member.assignment().topicPartitions()) {
				if (partition.topic().equals(Topics.PRESENCE_EVENTS)) {
					owners.add(member.groupInstanceId().orElse(member.consumerId()));
				}
			}
		}
		return owners;
	}

	private static long millis(long nanos) {
		return TimeUnit.NANOSECONDS.toMillis(nanos);
	}

}
