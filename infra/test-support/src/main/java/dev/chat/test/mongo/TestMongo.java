package dev.chat.test.mongo;

import java.lang.reflect.Modifier;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import dev.chat.test.containers.TestContainers;

/**
 * The MongoDB-compatible store of one test JVM, started on first use, and a database of its
 * own for each test class. Which store is chosen once per JVM:
 * <ol>
 * <li>{@code CHAT_TEST_MONGO_URI} set: that server, as it is (a real MongoDB, say, where
 * FerretDB cannot be built); the test databases are dropped when their Spring context closes;
 * <li>{@code CHAT_TEST_CONTAINERS=true}: a MongoDB container (needs a Docker engine);
 * <li>otherwise: FerretDB on SQLite, built and run as the local stack does, so the tests see
 * the same store, with the same limits, as the developer's stack.
 * </ol>
 */
public final class TestMongo {

	/** The environment variable naming a MongoDB to use instead of starting one. */
	public static final String URI_ENV = "CHAT_TEST_MONGO_URI";

	/** FerretDB (SQLite) takes at most 63 characters of {@code [a-z0-9_-]} in a database name. */
	private static final int MAX_NAME = 63;

	private static final Map<Class<?>, String> DATABASES = new ConcurrentHashMap<>();

	private static TestMongo shared;

	/** Which store the tests of this JVM run against. */
	public enum Kind {

		/** FerretDB started by the harness; thrown away with the JVM. */
		FERRETDB,

		/** A MongoDB container started by the harness; thrown away with the JVM. */
		CONTAINER,

		/** A server named by {@link #URI_ENV}; outlives the tests. */
		EXTERNAL

	}

	private final Kind kind;

	private final String baseUri;

	private final String description;

	private TestMongo(Kind kind, String baseUri, String description) {
		this.kind = kind;
		this.baseUri = baseUri;
		this.description = description;
	}

	/** The store of this JVM, started on first call (FerretDB: about a second once built). */
	public static synchronized TestMongo shared() {
		if (shared == null) {
			String external = System.getenv(URI_ENV);
			if (external != null && !external.isBlank()) {
				shared = new TestMongo(Kind.EXTERNAL, external, "MongoDB from " + URI_ENV);
			}
			else if (TestContainers.enabled()) {
				shared = new TestMongo(Kind.CONTAINER, TestContainers.mongoUri(), "MongoDB container");
			}
			else {
				TestFerretDb ferretDb = TestFerretDb.start();
				shared = new TestMongo(Kind.FERRETDB, ferretDb.uri(), ferretDb.toString());
			}
		}
		return shared;
	}

	public Kind kind() {
		return kind;
	}

	/** The connection string for {@code database}, keeping any options of the base URI. */
	public String uri(String database) {
		return withDatabase(baseUri, database);
	}

	/**
	 * The database of a test class: the same for a class and its {@code @Nested} (inner)
	 * classes within one JVM, its own for a static nested class (a test class of its own), and
	 * never the same across runs, so that tests against a shared {@link Kind#EXTERNAL} server
	 * cannot see each other's data.
	 */
	public static String databaseFor(Class<?> testClass) {
		Class<?> owner = testClass;
		while (owner.getEnclosingClass() != null && !Modifier.isStatic(owner.getModifiers())) {
			owner = owner.getEnclosingClass();
		}
		return DATABASES.computeIfAbsent(owner, TestMongo::newDatabaseName);
	}

	/** Drops {@code database}; for a {@link Kind#EXTERNAL} server, where nothing else would. */
	public void drop(String database) {
		MongoClientSettings settings = MongoClientSettings.builder()
			.applyConnectionString(new ConnectionString(uri(database)))
			.applyToClusterSettings(c -> c.serverSelectionTimeout(5, TimeUnit.SECONDS))
			.build();
		try (MongoClient client = MongoClients.create(settings)) {
			client.getDatabase(database).drop();
		}
	}

	static String withDatabase(String uri, String database) {
		int hosts = uri.indexOf("://") + 3;
		int query = uri.indexOf('?', hosts);
		if (query < 0) {
			query = uri.length();
		}
		int path = uri.indexOf('/', hosts);
		int end = path >= 0 && path < query ? path : query;
		return uri.substring(0, end) + "/" + database + uri.substring(query);
	}

	static String newDatabaseName(Class<?> testClass) {
		String suffix = "_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
		String name = "test_" + testClass.getSimpleName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_");
		return name.substring(0, Math.min(name.length(), MAX_NAME - suffix.length())) + suffix;
	}

	@Override
	public String toString() {
		return description;
	}

}
