package dev.chat.load.peer;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EngineIoPacketsTests {

	private final List<String> events = new ArrayList<>();

	private final EngineIoPackets.Handler recorder = new EngineIoPackets.Handler() {

		@Override
		public void open(String handshake) {
			events.add("open " + handshake);
		}

		@Override
		public void ping() {
			events.add("ping");
		}

		@Override
		public void engineClose() {
			events.add("close");
		}

		@Override
		public void connected(String handshake) {
			events.add("connected " + handshake);
		}

		@Override
		public void connectError(String error) {
			events.add("connect-error " + error);
		}

		@Override
		public void disconnected() {
			events.add("disconnected");
		}

		@Override
		public void message(String body) {
			events.add("message " + body);
		}

		@Override
		public void ack(long id, String args) {
			events.add("ack " + id + " " + args);
		}

		@Override
		public void other(String packet) {
			events.add("other " + packet);
		}

	};

	private List<String> parse(String... packets) {
		for (String packet : packets) {
			EngineIoPackets.parse(packet, recorder);
		}
		return events;
	}

	@Test
	void theHandshakeIsOpenThenNamespaceConnectedThenTheJoinAck() {
		assertThat(parse("0{\"sid\":\"s1\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}",
				"40{\"sid\":\"n1\"}", "431[]"))
			.containsExactly(
					"open {\"sid\":\"s1\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}",
					"connected {\"sid\":\"n1\"}", "ack 1 []");
	}

	@Test
	void aMessageEventIsItsBody() {
		assertThat(parse("42[\"message\",\"b-17\"]", "42[\"message\",\"q \\\"x\\\" \\\\ \\u2713\"]"))
			.containsExactly("message b-17", "message q \"x\" \\ \u2713");
	}

	@Test
	void acksCarryTheirIdAndRawArguments() {
		assertThat(parse("4312[]", "432[{\"error\":\"room must be a non-empty string\"}]"))
			.containsExactly("ack 12 []", "ack 2 [{\"error\":\"room must be a non-empty string\"}]");
	}

	@Test
	void pingsClosesAndDisconnectsAreTold() {
		assertThat(parse("2", "41", "44{\"message\":\"not authorized\"}", "1"))
			.containsExactly("ping", "disconnected", "connect-error {\"message\":\"not authorized\"}", "close");
	}

	@Test
	void otherEventsAndMalformedPacketsAreNotDeliveries() {
		assertThat(parse("42[\"presence\",\"x\"]", "42[\"message\",{\"a\":1}]", "43[]", "6", "", "4"))
			.hasSize(6)
			.allMatch(event -> event.startsWith("other "));
	}

	@Test
	void theEventsTheTargetSendsAreSocketIoPackets() {
		assertThat(SocketIoTarget.joinEvent("room-1")).isEqualTo("421[\"join\",\"room-1\"]");
		assertThat(SocketIoTarget.publishEvent(5, "room-1", "a\"b"))
			.isEqualTo("425[\"publish\",{\"room\":\"room-1\",\"body\":\"a\\\"b\"}]");
	}

}
