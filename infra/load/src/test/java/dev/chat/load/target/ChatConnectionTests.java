package dev.chat.load.target;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

class ChatConnectionTests {

	private final Tokens tokens = new Tokens() {
		@Override
		public String token(int client) {
			return "old-token";
		}

		@Override
		public Mono<String> fresh(int client) {
			return Mono.just("fresh-token");
		}
	};

	private final ChatTarget target = new ChatTarget(List.of(1), tokens, 1);

	private final EmbeddedChannel channel = new EmbeddedChannel();

	private final List<String> bodies = new ArrayList<>();

	private final ChatConnection connection = new ChatConnection(target, 3, "room-1",
			(c, body, at) -> bodies.add(body));

	{
		connection.attach(channel);
	}

	@AfterEach
	void close() {
		target.close();
	}

	@Test
	void aMessageFramesBodyAndSeqAreReadWithoutParsingTheFrame() {
		connection.onFrame("{\"type\":\"message\",\"roomId\":\"room-1\",\"id\":\"m\",\"seq\":41,\"senderId\":\"u\","
				+ "\"body\":\"run:1:2:xxx\",\"sentAt\":\"2026-01-01T00:00:00Z\",\"clientMsgId\":\"c\"}");

		assertThat(bodies).containsExactly("run:1:2:xxx");
		assertThat(connection.lastSeq()).isEqualTo(41);
	}

	@Test
	void deliveriesThatWantSentAtGetItFromTheFrame() {
		List<Long> sentAts = new ArrayList<>();
		ChatConnection stamped = new ChatConnection(target, 4, "room-1",
				(SentAtDeliveries) (c, body, at, sentAt) -> sentAts.add(sentAt));
		stamped.onFrame("{\"type\":\"message\",\"roomId\":\"room-1\",\"id\":\"m\",\"seq\":41,\"senderId\":\"u\","
				+ "\"body\":\"run:1:2:xxx\",\"sentAt\":\"2026-01-01T00:00:00.250Z\",\"clientMsgId\":\"c\"}");

		assertThat(sentAts).containsExactly(java.time.Instant.parse("2026-01-01T00:00:00.250Z").toEpochMilli());
	}

	@Test
	void subscribeCompletesOnTheSubscribedFrame() {
		connection.onFrame("{\"type\":\"subscribed\",\"roomId\":\"room-1\",\"lastSeq\":7}");

		StepVerifier.create(connection.subscribed()).expectNext(connection).verifyComplete();
		assertThat(connection.subscribedSeq()).isEqualTo(7);
	}

	@Test
	void aPublishCompletesOnItsAckAndFailsOnAnErrorThatNamesIt() {
		StepVerifier.create(connection.publish("room-1", "b1")).then(() -> {
			String sent = ((TextWebSocketFrame) channel.readOutbound()).text();
			assertThat(sent).startsWith("{\"type\":\"send\",\"roomId\":\"room-1\",\"clientMsgId\":\"").endsWith("\"body\":\"b1\"}");
			connection.onFrame("{\"type\":\"ack\",\"clientMsgId\":\"" + clientMsgId(sent) + "\"}");
		}).expectComplete().verify(Duration.ofSeconds(5));

		StepVerifier.create(connection.publish("room-1", "b2")).then(() -> {
			String sent = ((TextWebSocketFrame) channel.readOutbound()).text();
			connection.onFrame("{\"type\":\"error\",\"code\":\"rate_limited\",\"message\":\"slow down\",\"ref\":\""
					+ clientMsgId(sent) + "\"}");
		}).expectErrorMessage("rate_limited").verify(Duration.ofSeconds(5));
	}

	@Test
	void tokenExpiredIsAnsweredWithAFreshToken() {
		connection.onFrame("{\"type\":\"error\",\"code\":\"token_expired\",\"message\":\"expired\"}");

		TextWebSocketFrame auth = channel.readOutbound();
		assertThat(auth.text()).isEqualTo("{\"type\":\"auth\",\"token\":\"fresh-token\"}");
		assertThat(target.tokenExpiries()).isEqualTo(1);
	}

	private static String clientMsgId(String sendFrame) {
		return Frames.string(sendFrame, "clientMsgId");
	}

}
