package dev.chat.e2e.identity;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import org.bson.Document;

import dev.chat.stack.Stack;

/**
 * auth-service's {@code chat_auth.users} read straight from the test stack's FerretDB, to check
 * what the API does not show (that a refused registration stored nothing).
 */
final class UserStore implements AutoCloseable {

	private final MongoClient client;

	private final MongoCollection<Document> users;

	UserStore(Stack stack) {
		client = MongoClients.create(stack.config().mongoUri("chat_auth"));
		users = client.getDatabase("chat_auth").getCollection("users");
	}

	/** Scans the collection: acceptable for a test on a small collection, never in a service. */
	long countByUsername(String username) {
		return users.countDocuments(Filters.eq("username", username));
	}

	Document findById(String id) {
		return users.find(Filters.eq("_id", id)).first();
	}

	void insert(Document profile) {
		users.insertOne(profile);
	}

	@Override
	public void close() {
		client.close();
	}

}
