package dev.chat.load.peer;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CentrifugoFramesTests {

	private final List<String> events = new ArrayList<>();

	private final CentrifugoFrames.Handler recorder = new CentrifugoFrames.Handler() {

		@Override
		public void reply(long id, String error) {
			events.add("reply " + id + (error == null ? "" : " error " + error));
		}

		@Override
		public void publication(String body) {
			events.add("pub " + body);
		}

		@Override
		public void ping() {
			events.add("ping");
		}

		@Override
		public void disconnect(String disconnect) {
			events.add("disconnect " + disconnect);
		}

		@Override
		public void other(String message) {
			events.add("other " + message);
		}

	};

	@Test
	void theConnectAndSubscribeRepliesOfOneFrameAreReadInOrder() {
		CentrifugoFrames.parse("{\"id\":1,\"connect\":{\"client\":\"c5\",\"version\":\"6.9.1\",\"ping\":25,\"pong\":true}}\n"
				+ "{\"id\":2,\"subscribe\":{\"recoverable\":true,\"epoch\":\"abcd\",\"positioned\":true}}", recorder);

		assertThat(events).containsExactly("reply 1", "reply 2");
	}

	@Test
	void pushesRepliesAndPingsJoinedInOneFrameAreEachHandled() {
		CentrifugoFrames.parse("{\"push\":{\"channel\":\"room\",\"pub\":{\"data\":\"b-1\",\"info\":{\"user\":\"load-0\","
				+ "\"client\":\"c1\"},\"offset\":1}}}\n" + "{\"id\":3,\"publish\":{}}\n"
				+ "{\"push\":{\"channel\":\"room\",\"pub\":{\"data\":\"b-2\",\"offset\":2}}}\n" + "{}", recorder);

		assertThat(events).containsExactly("pub b-1", "reply 3", "pub b-2", "ping");
	}

	@Test
	void aLoneEmptyObjectIsAPing() {
		CentrifugoFrames.parse("{}", recorder);

		assertThat(events).containsExactly("ping");
	}

	@Test
	void anErrorReplyCarriesTheRawErrorObject() {
		CentrifugoFrames.parse("{\"id\":2,\"error\":{\"code\":103,\"message\":\"permission denied\"}}", recorder);

		assertThat(events).containsExactly("reply 2 error {\"code\":103,\"message\":\"permission denied\"}");
	}

	@Test
	void aBodyWithEscapesIsDecoded() {
		CentrifugoFrames.parse("{\"push\":{\"channel\":\"room\",\"pub\":{\"data\":\"say \\\"hi\\\" \\\\ \\u00e9\\n\","
				+ "\"offset\":9}}}", recorder);

		assertThat(events).containsExactly("pub say \"hi\" \\ \u00e9\n");
	}

	@Test
	void aBodyThatLooksLikeAPushIsStillOnlyItsBody() {
		String body = "{\"pub\":{\"data\":\"x\"}}";
		CentrifugoFrames.parse("{\"push\":{\"channel\":\"room\",\"pub\":{\"data\":" + JsonStrings.quote(body) + "}}}",
				recorder);

		assertThat(events).containsExactly("pub " + body);
	}

	@Test
	void aDisconnectPushIsReported() {
		CentrifugoFrames.parse("{\"push\":{\"disconnect\":{\"code\":3001,\"reason\":\"shutdown\"}}}", recorder);

		assertThat(events).containsExactly("disconnect {\"code\":3001,\"reason\":\"shutdown\"}");
	}

	@Test
	void joinPushesAndNonStringDataAreNotDeliveries() {
		CentrifugoFrames.parse("{\"push\":{\"channel\":\"room\",\"join\":{\"info\":{\"user\":\"u\"}}}}\n"
				+ "{\"push\":{\"channel\":\"room\",\"pub\":{\"data\":{\"a\":1}}}}", recorder);

		assertThat(events).hasSize(2).allMatch(event -> event.startsWith("other "));
	}

	@Test
	void emptyLinesAndATrailingNewlineAreSkipped() {
		CentrifugoFrames.parse("{\"id\":4,\"publish\":{}}\n\n{}\n", recorder);

		assertThat(events).containsExactly("reply 4", "ping");
	}

	@Test
	void theCommandsTheTargetSendsAreCentrifugosJsonProtocol() {
		assertThat(CentrifugoTarget.connectAndSubscribe("t.o.k", "room-1"))
			.isEqualTo("{\"id\":1,\"connect\":{\"token\":\"t.o.k\",\"name\":\"chat-load\"}}\n"
					+ "{\"id\":2,\"subscribe\":{\"channel\":\"room-1\"}}");
		assertThat(CentrifugoTarget.publishCommand(7, "room-1", "a \"b\""))
			.isEqualTo("{\"id\":7,\"publish\":{\"channel\":\"room-1\",\"data\":\"a \\\"b\\\"\"}}");
	}

}
