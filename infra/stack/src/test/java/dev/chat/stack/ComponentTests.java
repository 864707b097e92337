package dev.chat.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** A started process is found again by its pid file, and only while it is the same process. */
class ComponentTests {

	@TempDir
	Path state;

	@Test
	void aProcessIsFoundAgainAfterAStepOfTheWallClockButNotUnderAnotherStart() throws Exception {
		Component sleeper = sleeper();
		sleeper.start();
		try {
			assertThat(sleeper.isRunning()).isTrue();
			String[] recorded = Files.readString(sleeper.pidFile()).trim().split(" ");
			assertThat(recorded).as("pid, start instant, start ticks").hasSize(3);
			long pid = Long.parseLong(recorded[0]);

			// The wall clock stepped by an hour since the start: the instant Java derives moved, the ticks did not.
			long stepped = Long.parseLong(recorded[1]) - 3_600_000;
			Files.writeString(sleeper.pidFile(), pid + " " + stepped + " " + recorded[2] + "\n");
			assertThat(sleeper.isRunning()).isTrue();

			// Another process under the same pid started at another tick: never ours.
			Files.writeString(sleeper.pidFile(), pid + " " + recorded[1] + " " + (Long.parseLong(recorded[2]) + 1) + "\n");
			assertThat(sleeper.isRunning()).isFalse();

			// A pid file of an older launcher (no ticks) is still read by its instant.
			Files.writeString(sleeper.pidFile(), pid + " " + recorded[1] + "\n");
			assertThat(sleeper.isRunning()).isTrue();

			sleeper.stop();
			assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
		}
		finally {
			sleeper.process().ifPresent(ProcessHandle::destroyForcibly);
		}
	}

	private Component sleeper() {
		StackConfig tests = StackConfig.forTests(StackConfig.findRoot());
		StackConfig config = new StackConfig(tests.root(), state, tests.cacheDir(), tests.ports(), 6,
				Duration.ofSeconds(30), new StackConfig.Topology(1, 1, 1));
		return new Component(config, "sleeper") {

			@Override
			public List<Integer> ports() {
				return List.of();
			}

			@Override
			protected List<String> command() throws IOException {
				return List.of("sleep", "60");
			}

			@Override
			public boolean isReady() {
				return true;
			}

			@Override
			public String endpoint() {
				return "-";
			}
		};
	}

}
