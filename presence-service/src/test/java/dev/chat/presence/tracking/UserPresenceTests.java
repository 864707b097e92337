package dev.chat.presence.tracking;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The decisions about one user, without any infrastructure. */
class UserPresenceTests {

	private static final Duration GRACE = Duration.ofSeconds(2);

	private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

	private final UserPresence nobody = UserPresence.empty("u1");

	@Test
	void aConnectionAloneIsNotOnlineAnywhere() {
		UserPresence.Reconciliation result = nobody.connected("c1", "n1", "i1", "una", T0).reconcile(T0, GRACE);

		assertThat(result.changes()).isEmpty();
		assertThat(result.next().username()).isEqualTo("una");
	}

	@Test
	void theFirstSubscriptionToARoomComesOnlineAndASecondDeviceChangesNothing() {
		UserPresence.Reconciliation first = nobody.subscribed("c1", "n1", "i1", "una", "r1", T0).reconcile(T0, GRACE);
		UserPresence.Reconciliation second = first.next()
			.subscribed("c2", "n2", "i2", "una", "r1", T0.plusSeconds(1))
			.reconcile(T0.plusSeconds(1), GRACE);

		assertThat(first.changes()).containsExactly(new RoomChange.CameOnline("r1", T0));
		assertThat(second.changes()).isEmpty();
	}

	@Test
	void aSubscriptionArrivingAfterItsConnectionEndedIsIgnored() {
		UserPresence gone = nobody.connected("c1", "n1", "i1", "una", T0).disconnected("c1");

		UserPresence.Reconciliation result = gone.subscribed("c1", "n1", "i1", "una", "r1", T0).reconcile(T0, GRACE);

		assertThat(result.changes()).isEmpty();
		assertThat(result.next().connections()).isEmpty();
		assertThat(result.next().isIdle()).isTrue();
	}

	@Test
	void onlyTheMostRecentlyEndedConnectionsAreRemembered() {
		UserPresence user = nobody;
		for (int i = 0; i < UserPresence.ENDED_KEPT + 3; i++) {
			user = user.connected("c" + i, "n1", "i1", "una", T0).disconnected("c" + i);
		}

		assertThat(user.ended()).hasSize(UserPresence.ENDED_KEPT).last().isEqualTo("c" + (UserPresence.ENDED_KEPT + 2));
	}

	@Test
	void closingOneOfTwoDevicesKeepsTheUserOnlineWithoutAGracePeriod() {
		UserPresence online = twoDevices();

		UserPresence.Reconciliation result = online.disconnected("c1").reconcile(T0.plusSeconds(5), GRACE);

		assertThat(result.changes()).isEmpty();
		assertThat(result.next().leaving()).isEmpty();
	}

	@Test
	void losingTheLastConnectionStartsTheGracePeriodAndGoesOfflineWhenItEnds() {
		UserPresence online = nobody.subscribed("c1", "n1", "i1", "una", "r1", T0).reconcile(T0, GRACE).next();
		Instant closed = T0.plusSeconds(10);

		UserPresence.Reconciliation leaving = online.disconnected("c1").reconcile(closed, GRACE);
		UserPresence.Reconciliation early = leaving.next().reconcile(closed.plus(GRACE).minusMillis(1), GRACE);
		UserPresence.Reconciliation due = leaving.next().reconcile(closed.plus(GRACE), GRACE);

		assertThat(leaving.changes()).isEmpty();
		assertThat(leaving.next().nextDeadline()).isEqualTo(closed.plus(GRACE));
		assertThat(early.changes()).isEmpty();
		assertThat(due.changes()).containsExactly(new RoomChange.WentOffline("r1", closed));
		assertThat(due.next().online()).isEmpty();
		assertThat(due.next().leaving()).isEmpty();
	}

	@Test
	void aSubscriptionWithinTheGracePeriodCancelsItAndKeepsTheOriginalSince() {
		UserPresence online = nobody.subscribed("c1", "n1", "i1", "una", "r1", T0).reconcile(T0, GRACE).next();
		UserPresence leaving = online.disconnected("c1").reconcile(T0.plusSeconds(10), GRACE).next();

		UserPresence.Reconciliation back = leaving.subscribed("c2", "n2", "i2", "una", "r1", T0.plusSeconds(11))
			.reconcile(T0.plusSeconds(11), GRACE);
		UserPresence.Reconciliation later = back.next().reconcile(T0.plusSeconds(30), GRACE);

		assertThat(back.changes()).isEmpty();
		assertThat(back.next().leaving()).isEmpty();
		assertThat(back.next().online()).containsExactly(new UserPresence.Online("r1", T0));
		assertThat(later.changes()).isEmpty();
	}

	@Test
	void withoutAGracePeriodOfflineIsImmediate() {
		UserPresence online = nobody.subscribed("c1", "n1", "i1", "una", "r1", T0).reconcile(T0, GRACE).next();

		UserPresence.Reconciliation result = online.withoutIncarnation("n1", "i1")
			.reconcile(T0.plusSeconds(20), Duration.ZERO);

		assertThat(result.changes()).containsExactly(new RoomChange.WentOffline("r1", T0.plusSeconds(20)));
	}

	@Test
	void droppingAnIncarnationKeepsTheConnectionsOnOtherNodes() {
		UserPresence online = twoDevices();

		UserPresence dropped = online.withoutIncarnation("n1", "i1");

		assertThat(dropped.connections()).extracting(UserPresence.Connection::connectionId).containsExactly("c2");
		assertThat(dropped.hasConnectionOn("n1", "i1")).isFalse();
		assertThat(dropped.nodes()).containsExactly(new UserPresence.NodeIncarnation("n2", "i2"));
	}

	@Test
	void unsubscribingLeavesOnlyThatRoom() {
		UserPresence online = nobody.subscribed("c1", "n1", "i1", "una", "r1", T0)
			.subscribed("c1", "n1", "i1", "una", "r2", T0)
			.reconcile(T0, GRACE)
			.next();

		UserPresence.Reconciliation result = online.unsubscribed("c1", "r2").reconcile(T0, Duration.ZERO);

		assertThat(result.changes()).containsExactly(new RoomChange.WentOffline("r2", T0));
		assertThat(result.next().online()).extracting(UserPresence.Online::roomId).containsExactly("r1");
	}

	@Test
	void aRecordAtOrBeforeTheLastAppliedOffsetOfItsPartitionIsRecognised() {
		UserPresence applied = nobody.applied(2, 40);

		assertThat(applied.alreadyApplied(2, 40)).isTrue();
		assertThat(applied.alreadyApplied(2, 39)).isTrue();
		assertThat(applied.alreadyApplied(2, 41)).isFalse();
		assertThat(applied.alreadyApplied(1, 10)).isFalse();
		assertThat(nobody.alreadyApplied(0, 0)).isFalse();
	}

	@Test
	void theStoredDocumentReadsBackAsTheSameState() {
		UserPresence state = twoDevices().disconnected("c1")
			.disconnected("c2")
			.reconcile(T0.plusSeconds(3), GRACE)
			.next()
			.applied(1, 7);

		assertThat(UserPresenceStore.decode(UserPresenceStore.encode(state))).isEqualTo(state);
	}

	private UserPresence twoDevices() {
		return nobody.subscribed("c1", "n1", "i1", "una", "r1", T0)
			.subscribed("c2", "n2", "i2", "una", "r1", T0)
			.reconcile(T0, GRACE)
			.next();
	}

}
