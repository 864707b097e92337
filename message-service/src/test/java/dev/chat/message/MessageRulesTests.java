package dev.chat.message;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MessageRulesTests {

	@Test
	void roomIdsCannotContainTheSeparatorOfDocumentIds() {
		assertThat(MessageRules.isRoomId("room-1_A")).isTrue();
		assertThat(MessageRules.isRoomId("a:b")).isFalse();
		assertThat(MessageRules.isRoomId("")).isFalse();
		assertThat(MessageRules.isRoomId("x".repeat(65))).isFalse();
	}

	@Test
	void clientMsgIdsAreOneTo64SafeCharacters() {
		assertThat(MessageRules.isClientMsgId("Az09._:-")).isTrue();
		assertThat(MessageRules.isClientMsgId("x".repeat(64))).isTrue();
		assertThat(MessageRules.isClientMsgId("x".repeat(65))).isFalse();
		assertThat(MessageRules.isClientMsgId("a b")).isFalse();
		assertThat(MessageRules.isClientMsgId(null)).isFalse();
	}

	@Test
	void bodiesAreNonBlankAtMost4000CharactersWithoutControlCharacters() {
		assertThat(MessageRules.bodyProblem("line\n\ttab")).isNull();
		assertThat(MessageRules.bodyProblem("\uD83D\uDE00".repeat(4_000))).as("4,000 emoji").isNull();
		assertThat(MessageRules.bodyProblem("x".repeat(4_001))).contains("4000");
		assertThat(MessageRules.bodyProblem(" \n\u2003 ")).contains("empty");
		assertThat(MessageRules.bodyProblem(null)).contains("empty");
		assertThat(MessageRules.bodyProblem("a\rb")).contains("control");
		assertThat(MessageRules.bodyProblem("\u007f")).contains("control");
	}

}
