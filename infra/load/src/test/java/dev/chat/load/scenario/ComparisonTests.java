package dev.chat.load.scenario;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.chat.load.report.Table;
import dev.chat.load.scenario.Comparison.Connect;
import dev.chat.load.scenario.Comparison.Point;
import dev.chat.load.scenario.Comparison.Ratio;
import dev.chat.load.scenario.Comparison.Server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ComparisonTests {

	private static Point point(double rate, double p99, long lost, double perCpu) {
		return new Point(rate, p99 / 2, p99, p99 * 2, lost, perCpu, p99 < 100 && lost == 0);
	}

	private final Server ours = new Server("chat",
			List.of(point(25, 5, 0, 100_000), point(50, 8, 0, 120_000), point(100, 20, 0, 130_000),
					point(200, 150, 0, 90_000)),
			new Connect(1000, 1000, 1.5, 9.0, 20 * 1024, 0.2));

	private final Server centrifugo = new Server("centrifugo",
			List.of(point(25, 2, 0, 150_000), point(50, 3, 0, 160_000), point(100, 4, 1, 170_000),
					point(200, 6, 0, 180_000)),
			new Connect(1000, 1000, 1.0, 4.0, 40 * 1024, 0.1));

	@Test
	void theHighestRateHeldIsTheLargestWithP99UnderTheLimitAndNothingLost() {
		assertThat(Comparison.highestHeld(ours)).isEqualTo(100);
		// 100 lost one message, 200 held again: the highest held is 200, not the last before a failure.
		assertThat(Comparison.highestHeld(centrifugo)).isEqualTo(200);
		assertThat(Comparison.highestHeld(new Server("x", List.of(point(25, 500, 0, 1)), null))).isZero();
	}

	@Test
	void ratiosAreOursOverEachPeer() {
		List<Ratio> ratios = Comparison.ratios(List.of(ours, centrifugo));

		assertThat(ratios).extracting(Ratio::peer).containsOnly("centrifugo");
		assertThat(ratios.get(0).ratio()).isCloseTo(0.5, within(1e-9));
		assertThat(ratios.get(1).ratio()).isCloseTo(120_000 / 160_000.0, within(1e-9));
		assertThat(ratios.get(1).atRate()).isEqualTo(50);
		assertThat(ratios.get(2).ratio()).isCloseTo(0.5, within(1e-9));
		assertThat(ratios.get(2).ours()).isEqualTo(20);
		assertThat(ratios.get(0).line())
			.isEqualTo("chat/centrifugo highest rate held (p99 < 100 ms, nothing lost): 100 / 200 msg/s = 0.50×");
		assertThat(ratios.get(1).line()).isEqualTo(
				"chat/centrifugo deliveries per server CPU-second (at 50 msg/s): 120,000 / 160,000 = 0.75×");
	}

	@Test
	void withoutFiftyTheNearestRateIsUsedAndALowerOneWinsATie() {
		Server a = new Server("chat", List.of(point(25, 1, 0, 10), point(75, 1, 0, 30)), null);

		assertThat(Comparison.near(a, 50).rate()).isEqualTo(25);
		assertThat(Comparison.near(new Server("x", List.of(), null), 50)).isNull();
	}

	@Test
	void aRatioIsUndefinedWhenEitherSideIsUnknownOrThePeerHasNothing() {
		assertThat(Comparison.ratio(1, 0)).isNull();
		assertThat(Comparison.ratio(-1, 5)).isNull();
		assertThat(Comparison.ratio(5, -1)).isNull();
		assertThat(Comparison.ratio(0, 5)).isZero();

		Server held = new Server("socketio", List.of(point(50, 500, 3, -1)), null);
		List<Ratio> ratios = Comparison.ratios(List.of(ours, held));
		assertThat(ratios).hasSize(2);
		assertThat(ratios.get(0).ratio()).isNull();
		assertThat(ratios.get(0).line()).endsWith("= n/a");
		assertThat(ratios.get(1).ratio()).isNull();
	}

	@Test
	void noRatiosWithoutOursOrForAPartThatDidNotRun() {
		assertThat(Comparison.ratios(List.of(centrifugo))).isEmpty();
		Server failed = new Server("socketio", List.of(), null);
		assertThat(Comparison.ratios(List.of(ours, failed))).isEmpty();
		Server connectOnly = new Server("socketio", List.of(), new Connect(10, 10, 1, 2, 10 * 1024, 0.1));
		assertThat(Comparison.ratios(List.of(ours, connectOnly))).singleElement()
			.satisfies(r -> assertThat(r.ratio()).isEqualTo(2.0));
	}

	@Test
	void theTablesHaveARowPerServerAndRateAndTheRatioLines() {
		List<Server> servers = List.of(ours, centrifugo);
		List<Table> tables = Comparison.tables(servers, Comparison.ratios(servers), 1000, 100);

		assertThat(tables).hasSize(3);
		assertThat(tables.get(0).rows()).hasSize(8);
		assertThat(tables.get(0).rows().get(1))
			.containsExactly("chat", "50", "4.00", "8.00", "16.00", "0", "120,000", "yes");
		assertThat(tables.get(0).rows().get(6).get(5)).isEqualTo("1");
		assertThat(tables.get(1).rows().get(1))
			.containsExactly("centrifugo", "1,000 / 1,000", "1.00", "4.00", "40.0 KiB", "0.100 ms");
		assertThat(tables.get(2).rows()).hasSize(3);
		assertThat(tables.get(2).markdown()).contains("chat/centrifugo server memory (RSS) per connection");
		assertThat(Comparison.p99Chart(servers)).contains("<polyline").contains(">chat<").contains(">centrifugo<");
	}

	@Test
	void unknownServersAreAUsageError() {
		assertThat(CompareScenario.servers("chat, socketio,chat")).containsExactly("chat", "socketio");
		assertThatThrownBy(() -> CompareScenario.servers("chat,nats")).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("nats");
	}

}
