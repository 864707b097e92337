package dev.chat.message.store;

import java.time.Instant;
import java.util.Date;
import java.util.UUID;

import org.bson.Document;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

/**
 * Entries as the elements of a bucket's {@code entries} array: each a compact JSON text (MongoDB
 * extended JSON, relaxed), not a sub-document. FerretDB converts every field of a document
 * between SQLite's JSON and BSON on each read and each update, so a bucket of 64 sub-documents of
 * eight fields costs it some 500 conversions; as 64 strings, a bucket read and an append were
 * three to four times cheaper on this machine (on MongoDB either costs about the same). Nothing
 * ever queries inside a bucket: buckets are only read and written whole, by {@code _id}.
 *
 * <p>
 * Ids are strings (no UUID representation to configure), times dates (milliseconds, which is why
 * every time the pipeline sets is truncated to milliseconds). Nothing that can be derived is
 * stored: a message's id is its room and seq, an edit or delete names its message by seq.
 */
final class EntryCodec {

	static final String ENTRIES = "entries";

	static final String SEQ = "seq";

	static final String KIND = "kind";

	static final String TARGET = "target";

	static final String SENDER_ID = "senderId";

	static final String CLIENT_MSG_ID = "clientMsgId";

	static final String BODY = "body";

	static final String SENT_AT = "sentAt";

	static final String EDITED_AT = "editedAt";

	static final String DELETED_AT = "deletedAt";

	static final String DELETED_BY = "deletedBy";

	static final String BY = "by";

	static final String AT = "at";

	static final String EVENT_ID = "eventId";

	static final String COMMAND_ID = "commandId";

	static final String LAST_CHANGE = "lastChange";

	private static final String CREATED = "created";

	private static final String EDITED = "edited";

	private static final String DELETED = "deleted";

	private static final JsonWriterSettings COMPACT = JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).build();

	static String encode(Entry entry) {
		return document(entry).toJson(COMPACT);
	}

	static Entry decode(String roomId, String json) {
		return decode(roomId, Document.parse(json));
	}

	static Document document(Entry entry) {
		Document doc = new Document(SEQ, entry.seq()).append(KIND, kind(entry));
		switch (entry) {
			case Entry.Created c -> {
				doc.append(SENDER_ID, c.senderId()).append(CLIENT_MSG_ID, c.clientMsgId()).append(SENT_AT, date(c.sentAt()));
				putIfPresent(doc, BODY, c.body());
				putIfPresent(doc, EDITED_AT, date(c.editedAt()));
				putIfPresent(doc, DELETED_AT, date(c.deletedAt()));
				putIfPresent(doc, DELETED_BY, c.deletedBy());
				putIfPresent(doc, LAST_CHANGE, c.lastChange() == null ? null : c.lastChange().toString());
				doc.append(EVENT_ID, c.eventId().toString());
			}
			case Entry.Edited e -> doc.append(TARGET, e.messageId().seq())
				.append(BY, e.editorId())
				.append(AT, date(e.editedAt()))
				.append(EVENT_ID, e.eventId().toString())
				.append(COMMAND_ID, e.commandId().toString());
			case Entry.Deleted d -> doc.append(TARGET, d.messageId().seq())
				.append(BY, d.deletedBy())
				.append(AT, date(d.deletedAt()))
				.append(EVENT_ID, d.eventId().toString())
				.append(COMMAND_ID, d.commandId().toString());
		}
		return doc;
	}

	private static Entry decode(String roomId, Document doc) {
		long seq = ((Number) doc.get(SEQ)).longValue();
		UUID eventId = UUID.fromString(doc.getString(EVENT_ID));
		return switch (doc.getString(KIND)) {
			case CREATED -> new Entry.Created(seq, new MessageId(roomId, seq), doc.getString(SENDER_ID),
					doc.getString(CLIENT_MSG_ID), doc.getString(BODY), instant(doc, SENT_AT), instant(doc, EDITED_AT),
					instant(doc, DELETED_AT), doc.getString(DELETED_BY), eventId, uuid(doc.getString(LAST_CHANGE)));
			case EDITED -> new Entry.Edited(seq, target(roomId, doc), doc.getString(BY), instant(doc, AT), eventId,
					UUID.fromString(doc.getString(COMMAND_ID)));
			case DELETED -> new Entry.Deleted(seq, target(roomId, doc), doc.getString(BY), instant(doc, AT), eventId,
					UUID.fromString(doc.getString(COMMAND_ID)));
			default -> throw new IllegalStateException("unknown entry kind " + doc.getString(KIND) + " at " + seq);
		};
	}

	private static MessageId target(String roomId, Document doc) {
		return new MessageId(roomId, ((Number) doc.get(TARGET)).longValue());
	}

	private static String kind(Entry entry) {
		return switch (entry) {
			case Entry.Created c -> CREATED;
			case Entry.Edited e -> EDITED;
			case Entry.Deleted d -> DELETED;
		};
	}

	static Date date(Instant instant) {
		return instant == null ? null : Date.from(instant);
	}

	private static Instant instant(Document doc, String field) {
		Date date = doc.getDate(field);
		return date == null ? null : date.toInstant();
	}

	private static UUID uuid(String text) {
		return text == null ? null : UUID.fromString(text);
	}

	private static void putIfPresent(Document doc, String field, Object value) {
		if (value != null) {
			doc.append(field, value);
		}
	}

	private EntryCodec() {
	}

}
