package dev.chat.e2e.identity;

import java.time.Instant;
import java.util.Date;
import java.util.UUID;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import org.bson.Document;

import dev.chat.stack.Stack;

/**
 * auth-service's {@code chat_auth.users} and {@code registrations} read straight from the test stack's FerretDB, to check
 * what the API does not show (that a refused registration stored nothing).
 */
final class UserStore implements AutoCloseable {

	private final MongoClient client;

	private final MongoCollection<Document> users;

	private final MongoCollection<Document> registrations;

	UserStore(Stack stack) {
		client = MongoClients.create(stack.config().mongoUri("chat_auth"));
		users = client.getDatabase("chat_auth").getCollection("users");
		registrations = client.getDatabase("chat_auth").getCollection("registrations");
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

	/** The pending registration of a username (auth-service's outbox entry), or null. */
	Document pendingRegistration(String username) {
		return registrations.find(Filters.eq("_id", username)).first();
	}

	/**
	 * Writes a pending registration as a request that died after its first step leaves it, and
	 * returns the id its event will have.
	 */
	String insertPendingRegistration(String username, Instant createdAt) {
		String eventId = UUID.randomUUID().toString();
		registrations.insertOne(new Document("_id", username).append("displayName", username)
			.append("eventId", eventId)
			.append("state", "INTENT")
			.append("createdAt", Date.from(createdAt)));
		return eventId;
	}

	@Override
	public void close() {
		client.close();
	}

}
