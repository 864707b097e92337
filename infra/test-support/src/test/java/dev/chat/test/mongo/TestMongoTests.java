package dev.chat.test.mongo;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TestMongoTests {

	@Test
	void databaseReplacesThePathAndKeepsTheOptions() {
		assertThat(TestMongo.withDatabase("mongodb://127.0.0.1:27017/", "db")).isEqualTo("mongodb://127.0.0.1:27017/db");
		assertThat(TestMongo.withDatabase("mongodb://127.0.0.1:27017", "db")).isEqualTo("mongodb://127.0.0.1:27017/db");
		assertThat(TestMongo.withDatabase("mongodb://u:p@h1:1,h2:2/old?authSource=admin&w=majority", "db"))
			.isEqualTo("mongodb://u:p@h1:1,h2:2/db?authSource=admin&w=majority");
		assertThat(TestMongo.withDatabase("mongodb+srv://cluster.example/?retryWrites=true", "db"))
			.isEqualTo("mongodb+srv://cluster.example/db?retryWrites=true");
	}

	@Test
	void eachTestClassHasItsOwnDatabase() {
		String mine = TestMongo.databaseFor(TestMongoTests.class);

		assertThat(TestMongo.databaseFor(TestMongoTests.class)).isEqualTo(mine);
		assertThat(TestMongo.databaseFor(Inner.class)).as("a nested class shares its outer class's").isEqualTo(mine);
		assertThat(TestMongo.databaseFor(Static.class)).as("a static nested class is a test class of its own")
			.isNotEqualTo(mine);
		assertThat(TestMongo.databaseFor(FerretDbIntegrationTests.class)).isNotEqualTo(mine);
	}

	@Test
	void databaseNamesSuitFerretDb() {
		class AVeryLongLocalTestClassNameThatGoesOnAndOnWellBeyondSixtyThreeCharactersInTotal {
		}
		String name = TestMongo
			.newDatabaseName(AVeryLongLocalTestClassNameThatGoesOnAndOnWellBeyondSixtyThreeCharactersInTotal.class);

		assertThat(name).hasSizeLessThanOrEqualTo(63).matches("test_averylong[a-z0-9_]+");
		assertThat(TestMongo.newDatabaseName(TestMongoTests.class)).as("a fresh name on every run")
			.isNotEqualTo(TestMongo.newDatabaseName(TestMongoTests.class));
	}

	@Nested
	class Inner {

	}

	static class Static {

	}

}
