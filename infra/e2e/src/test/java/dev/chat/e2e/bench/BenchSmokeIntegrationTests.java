package dev.chat.e2e.bench;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.chat.e2e.support.TestStackExtension;
import dev.chat.load.Bench;
import dev.chat.load.scenario.ConnectionsScenario.ConnectionsResult;
import dev.chat.load.scenario.FanoutScenario.FanoutResult;
import dev.chat.load.scenario.HistoryScenario.HistoryResult;
import dev.chat.load.scenario.ReconnectStormScenario.ReconnectResult;
import dev.chat.load.scenario.RoomsScenario.RoomsResult;
import dev.chat.stack.Stack;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code ./chat bench} scenario, tiny, on the test stack, through the entry point the CLI
 * uses: each completes, writes its report, and counts every message exactly once. The figures
 * themselves are not asserted (the machine is shared); that nothing is lost or duplicated is.
 */
@ExtendWith(TestStackExtension.class)
class BenchSmokeIntegrationTests {

	@Test
	void connectionsOpensEveryConnection(Stack stack) {
		Bench.Run run = Bench.run(stack.config(), "connections", List.of("--smoke", "--n=50"), System.out);

		ConnectionsResult result = (ConnectionsResult) run.result();
		assertThat(result.opened()).isEqualTo(50);
		assertThat(result.failed()).isZero();
		assertThat(result.fromSchedule().count()).isEqualTo(50);
		assertThat(run.json()).exists();
	}

	@ParameterizedTest
	@ValueSource(strings = { "kafka", "full" })
	void fanoutDeliversEveryMessageToEverySubscriberOnce(String mode, Stack stack) {
		Bench.Run run = Bench.run(stack.config(), "fanout",
				List.of("--smoke", "--mode=" + mode, "--subscribers=20", "--rates=20", "--step=3s"), System.out);

		FanoutResult result = (FanoutResult) run.result();
		assertThat(result.opened()).isEqualTo(20);
		assertThat(result.steps()).hasSize(1);
		var counts = result.steps().get(0).counts();
		assertThat(counts.expected()).isEqualTo(20L * 60);
		assertThat(counts.received()).isEqualTo(counts.expected());
		assertThat(result.lost()).isZero();
		assertThat(result.duplicated()).isZero();
	}

	@Test
	void roomsDeliversEveryMessageToItsRoomOnly(Stack stack) {
		Bench.Run run = Bench.run(stack.config(), "rooms",
				List.of("--smoke", "--rooms=10", "--members=5", "--rate=20", "--duration=3s"), System.out);

		RoomsResult result = (RoomsResult) run.result();
		assertThat(result.opened()).isEqualTo(50);
		assertThat(result.accepted()).isEqualTo(result.sent()).isEqualTo(60);
		assertThat(result.counts().expected()).isEqualTo(60L * 5);
		assertThat(result.counts().received()).isEqualTo(result.counts().expected());
		assertThat(result.counts().lost()).isZero();
		assertThat(result.counts().duplicated()).isZero();
		assertThat(result.counts().unexpected()).isZero();
	}

	@Test
	void historyReadsBothPages(Stack stack) {
		Bench.Run run = Bench.run(stack.config(), "history", List.of("--smoke", "--messages=2000"), System.out);

		HistoryResult result = (HistoryResult) run.result();
		assertThat(result.pages()).hasSize(2).allSatisfy(page -> {
			assertThat(page.failed()).isZero();
			assertThat(page.latency().count()).isEqualTo(result.requests());
		});
	}

	@Test
	void reconnectStormRecoversEveryClientWithoutGapOrDuplicate(Stack stack) {
		Bench.Run run = Bench.run(stack.config(), "reconnect-storm", List.of("--smoke", "--clients=50"), System.out);

		ReconnectResult result = (ReconnectResult) run.result();
		assertThat(result.subscribed()).isEqualTo(50);
		assertThat(result.reconnected()).isEqualTo(50);
		assertThat(result.recovered()).isEqualTo(50);
		assertThat(result.accepted()).isPositive();
		assertThat(result.counts().received()).isEqualTo(result.counts().expected());
		assertThat(result.lost()).isZero();
		assertThat(result.duplicated()).isZero();
	}

}
