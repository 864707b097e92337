package dev.chat.e2e.recovery;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.chat.e2e.support.TestStackExtension;
import dev.chat.load.Bench;
import dev.chat.load.scenario.NodeFailoverScenario.FailoverResult;
import dev.chat.stack.Component;
import dev.chat.stack.Stack;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Gateway node 1 dies (SIGKILL) or is stopped (SIGTERM) under 1,000 subscribed sockets and a
 * sender, with 100 more subscribers on node 2, through {@code ./chat bench node-failover}: every
 * client reconnects through nginx and resumes with {@code sinceSeq}; the sender sends again
 * whatever got no answer. Every acknowledged message is stored once, with gap-free seqs, and
 * reaches every subscriber exactly once; on SIGTERM every socket ends with 1012 and every send the
 * node received was answered. The reconnect times are printed for the closing note. Node 1 is
 * started again after each case.
 */
@ExtendWith(TestStackExtension.class)
class GatewayNodeFailoverIntegrationTests {

	private Stack stack;

	@ParameterizedTest(name = "SIG{0}")
	@ValueSource(strings = { "KILL", "TERM" })
	void everyClientOfAFailedNodeReconnectsThroughNginxAndMissesNothing(String signal, Stack stack) {
		this.stack = stack;
		Bench.Run run = Bench.run(stack.config(), "node-failover",
				List.of("--node=1", "--signal=" + signal, "--clients=1000", "--watchers=100", "--rate=10"), System.out);

		FailoverResult result = (FailoverResult) run.result();
		System.out.printf(
				"FAILOVER gateway SIG%s: %d sockets reconnected through nginx, signal → subscribed p50 %.0f ms, p99 %.0f ms, "
						+ "max %.0f ms; all caught up %.0f ms; sent %d, acked %d, unanswered at close %d, stored %d, "
						+ "delivered %d, missing %d, duplicated %d; close codes %s; refusals %s%n",
				signal, result.reconnected(), result.reconnect().p50(), result.reconnect().p99(),
				result.reconnect().max(), result.allCaughtUpMillis(), result.sent(), result.acked(),
				result.unansweredAtClose(), result.stored(), result.counts().received(), result.lost(),
				result.duplicated(), result.closeCodes(), result.refusals());
		assertThat(result.subscribed()).as("subscribed before the signal").isEqualTo(1100);
		assertThat(result.reconnected()).as("reconnected through nginx (node 1's clients only)").isEqualTo(1000);
		assertThat(result.reconnectFailed()).isZero();
		assertThat(result.allCaughtUpMillis()).as("every client caught up").isPositive();
		assertThat(result.acked()).as("every send acknowledged in the end").isEqualTo(result.sent()).isPositive();
		assertThat(result.stored()).as("stored").isEqualTo(result.acked());
		assertThat(result.storedTwice()).as("stored twice").isZero();
		assertThat(result.ackedNotStored()).as("acknowledged but not stored").isZero();
		assertThat(result.seqGapFree()).as("seqs gap-free").isTrue();
		assertThat(result.counts().expected()).isEqualTo(result.acked() * 1100);
		assertThat(result.counts().received()).isEqualTo(result.counts().expected());
		assertThat(result.lost()).isZero();
		assertThat(result.duplicated()).isZero();
		if (signal.equals("TERM")) {
			// The sender is not among them: its socket is counted by unansweredAtClose.
			assertThat(result.closeCodes()).as("close codes of node 1's subscribers").containsExactly(Map.entry(1012, 1000L));
			// Every send the node received was answered; unanswered are only those that crossed its
			// close frame on the wire (the server closes the connection after it, as RFC 6455 lets
			// it discard what follows). With 1,000 sockets closing at once this client reads the
			// sender's close frame late, and the sends made meanwhile cross it: each is sent again
			// and stored once (asserted above). Up to 9 were measured on a quiet machine, 13 in a
			// CI run whose reconnects took twice as long; the bound is two seconds' worth (20).
			// Handshakes on the stopping node are refused with 503, so no client reconnects to it
			// (SocketHandshakeFilterTests, SocketShutdownTests).
			assertThat(result.unansweredAtClose()).as("sends the stopping node left unanswered").isLessThanOrEqualTo(20);
		}
	}

	@AfterEach
	void startNodeOneAgain() throws Exception {
		Component node = stack.component("gateway");
		if (!node.isRunning()) {
			stack.start(node);
		}
	}

}
