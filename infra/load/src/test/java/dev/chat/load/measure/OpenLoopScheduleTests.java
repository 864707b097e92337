package dev.chat.load.measure;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OpenLoopScheduleTests {

	/** A clock that jumps to the requested time, and on by a fixed cost per send. */
	private static final class FakeClock implements OpenLoopSchedule.Clock {

		long now;

		final long costPerSend;

		FakeClock(long start, long costPerSend) {
			this.now = start;
			this.costPerSend = costPerSend;
		}

		@Override
		public long nanoTime() {
			return now;
		}

		@Override
		public void sleepUntil(long nanos) {
			now = Math.max(now, nanos);
		}

	}

	@Test
	void sendTimesAreAbsoluteFromTheStart() {
		OpenLoopSchedule schedule = new OpenLoopSchedule(1_000, 100, new FakeClock(1_000, 0));

		assertThat(schedule.dueNanos(0)).isEqualTo(1_000);
		assertThat(schedule.dueNanos(1)).isEqualTo(1_000 + 10_000_000);
		assertThat(schedule.dueNanos(250)).isEqualTo(1_000 + 2_500_000_000L);
		assertThat(OpenLoopSchedule.count(100, 2.5)).isEqualTo(250);
	}

	@Test
	void aGeneratorThatKeepsUpIsNeverBehind() {
		FakeClock clock = new FakeClock(0, 0);
		List<Long> due = new ArrayList<>();

		OpenLoopSchedule.Progress progress = new OpenLoopSchedule(0, 1_000, clock).run(5, (n, at) -> due.add(at));

		assertThat(due).containsExactly(0L, 1_000_000L, 2_000_000L, 3_000_000L, 4_000_000L);
		assertThat(progress.sent()).isEqualTo(5);
		assertThat(progress.behind()).isZero();
	}

	@Test
	void aSlowSendDoesNotMoveTheScheduleAndIsReportedAsBehind() {
		// 1,000/s is a send every 1 ms; each send costs 5 ms, so the generator falls further behind.
		FakeClock clock = new FakeClock(0, 5_000_000);
		List<Long> due = new ArrayList<>();

		OpenLoopSchedule.Progress progress = new OpenLoopSchedule(0, 1_000, clock).run(4, (n, at) -> {
			due.add(at);
			clock.now += clock.costPerSend;
		});

		// The due times stay on the absolute schedule, whatever the sends cost.
		assertThat(due).containsExactly(0L, 1_000_000L, 2_000_000L, 3_000_000L);
		// Sends 1, 2, 3 start at 5, 10 and 15 ms: 4, 8 and 12 ms late.
		assertThat(progress.behind()).isEqualTo(3);
		assertThat(progress.maxLagMillis()).isEqualTo(12.0);
	}

	@Test
	void stopsEarlyWhenToldTo() {
		FakeClock clock = new FakeClock(0, 0);
		List<Integer> sent = new ArrayList<>();

		OpenLoopSchedule.Progress progress = new OpenLoopSchedule(0, 1_000, clock).run(100, (n, at) -> sent.add(n),
				() -> sent.size() == 3);

		assertThat(sent).containsExactly(0, 1, 2);
		assertThat(progress.sent()).isEqualTo(3);
	}

}
