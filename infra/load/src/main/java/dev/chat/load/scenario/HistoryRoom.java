package dev.chat.load.scenario;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.ReplaceOptions;
import org.bson.Document;

/**
 * A room of many messages written straight into {@code chat_messages} in message-service's own
 * layout (its {@code MessageStore}, {@code EntryCodec} and {@code Memberships}): buckets of 64
 * entries with {@code _id = "{roomId}:{seq / 64}"}, the room's counter, and one member's
 * membership. A million messages through the send path would take hours; written this way they
 * take a minute or two, once: a room whose counter already says {@code messages} is kept. Also
 * what infra/e2e's {@code HistoryLatencyMeasurement} writes its room with.
 */
public final class HistoryRoom {

	private static final int BUCKET = 64;

	private HistoryRoom() {
	}

	/** The room id for a history of {@code messages}: 24 hex digits, distinct per size. */
	static String idFor(long messages) {
		return "%012x%012x".formatted(0xbe_4c_00_00_00L, messages);
	}

	/** Writes the room unless it is there; returns true when it was written now. */
	public static boolean ensure(String mongoUri, String roomId, long messages, String memberId) {
		try (MongoClient mongo = MongoClients.create(mongoUri)) {
			return fill(mongo.getDatabase("chat_messages"), roomId, messages, memberId);
		}
	}

	private static boolean fill(MongoDatabase database, String roomId, long messages, String memberId) {
		MongoCollection<Document> sequences = database.getCollection("sequences");
		database.getCollection("rooms")
			.replaceOne(Filters.eq("_id", roomId), new Document("_id", roomId).append("ownerId", memberId),
					new ReplaceOptions().upsert(true));
		database.getCollection("memberships")
			.replaceOne(Filters.eq("_id", roomId + ":" + memberId),
					new Document("_id", roomId + ":" + memberId).append("roomId", roomId)
						.append("userId", memberId)
						.append("member", true)
						.append("role", "owner"),
					new ReplaceOptions().upsert(true));
		Document counter = sequences.find(Filters.eq("_id", roomId)).first();
		if (counter != null && ((Number) counter.get("lastSeq")).longValue() == messages) {
			return false;
		}
		MongoCollection<Document> buckets = database.getCollection("buckets");
		long sentAt = Instant.now().minus(Duration.ofDays(30)).toEpochMilli();
		List<Document> batch = new ArrayList<>();
		for (long number = 0; number <= messages / BUCKET; number++) {
			List<String> entries = new ArrayList<>(BUCKET);
			for (long seq = Math.max(1, number * BUCKET); seq <= Math.min(messages, number * BUCKET + BUCKET - 1); seq++) {
				entries.add(("{\"seq\":%d,\"kind\":\"created\",\"senderId\":\"%s\",\"clientMsgId\":\"h-%d\","
						+ "\"body\":\"message number %d of a long history, about sixty characters\",\"sentAt\":%d,"
						+ "\"eventId\":\"%s\"}")
					.formatted(seq, memberId, seq, seq, sentAt + seq * 2_000, UUID.randomUUID()));
			}
			batch.add(new Document("_id", roomId + ":" + number).append("entries", entries));
			if (batch.size() == 100) {
				insert(buckets, batch);
				batch.clear();
			}
		}
		insert(buckets, batch);
		sequences.replaceOne(Filters.eq("_id", roomId), new Document("_id", roomId).append("lastSeq", messages),
				new ReplaceOptions().upsert(true));
		return true;
	}

	/** Buckets an interrupted earlier fill stored already are kept. */
	private static void insert(MongoCollection<Document> buckets, List<Document> batch) {
		if (batch.isEmpty()) {
			return;
		}
		try {
			buckets.insertMany(batch, new InsertManyOptions().ordered(false));
		}
		catch (MongoBulkWriteException ex) {
			if (ex.getWriteErrors().stream().anyMatch(error -> error.getCode() != 11000)) {
				throw ex;
			}
		}
	}

}
