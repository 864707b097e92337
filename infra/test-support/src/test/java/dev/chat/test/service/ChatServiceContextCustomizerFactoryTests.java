package dev.chat.test.service;

import java.util.List;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import dev.chat.test.mongo.TestMongo;

import static org.assertj.core.api.Assertions.assertThat;

class ChatServiceContextCustomizerFactoryTests {

	private final ChatServiceContextCustomizerFactory factory = new ChatServiceContextCustomizerFactory();

	@Test
	void leavesOtherTestsAlone() {
		assertThat(factory.createContextCustomizer(ChatServiceContextCustomizerFactoryTests.class, List.of())).isNull();
	}

	@Test
	void givesEachServiceTestClassItsOwnDatabase() {
		var first = factory.createContextCustomizer(FirstServiceTest.class, List.of());
		var second = factory.createContextCustomizer(SecondServiceTest.class, List.of());

		assertThat(first).isEqualTo(new ChatServiceContextCustomizer(TestMongo.databaseFor(FirstServiceTest.class)));
		assertThat(second).isNotEqualTo(first);
	}

	@Test
	void nestedClassesShareTheirOuterClassContext() {
		assertThat(factory.createContextCustomizer(FirstServiceTest.Inner.class, List.of()))
			.isEqualTo(factory.createContextCustomizer(FirstServiceTest.class, List.of()));
	}

	@ChatServiceTest
	static class FirstServiceTest {

		@Nested
		class Inner {

		}

	}

	@ChatServiceTest
	static class SecondServiceTest {

	}

}
