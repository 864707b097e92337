package dev.chat.message.store;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.databind.json.JsonMapper;

/**
 * Entries as the elements of a bucket's {@code entries} array: each a compact JSON text, not a
 * sub-document. FerretDB converts every field of a document between SQLite's JSON and BSON on
 * each read and each update, so a bucket of 64 sub-documents of eight fields costs it some 500
 * conversions; as 64 strings, a bucket read and an append were three to four times cheaper on
 * this machine (on MongoDB either costs about the same). Nothing ever queries inside a bucket:
 * buckets are only read and written whole, by {@code _id}.
 *
 * <p>
 * The text is the {@link Stored} record: ids as strings, times as epoch milliseconds (which is why
 * every time the pipeline sets is truncated to milliseconds), absent fields left out. Nothing
 * that can be derived is stored: a message's id is its room and seq, an edit or delete names its
 * message by seq. For example
 * {@code {"seq":7,"kind":"created","senderId":"…","clientMsgId":"c-1","body":"hi","sentAt":1795000000000,"eventId":"…"}}.
 */
final class EntryCodec {

	static final String ENTRIES = "entries";

	private static final String CREATED = "created";

	private static final String EDITED = "edited";

	private static final String DELETED = "deleted";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/**
	 * One entry as stored.
	 *
	 * @param kind {@code created}, {@code edited} or {@code deleted}
	 * @param target for an edit or a delete: the seq of the message it changed
	 * @param by for an edit or a delete: who
	 * @param at for an edit or a delete: when
	 * @param commandId for an edit or a delete: its command
	 * @param lastChange for a message: the command of its last edit or delete
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Stored(long seq, String kind, Long target, String senderId, String clientMsgId, String body, Long sentAt,
			Long editedAt, Long deletedAt, String deletedBy, String by, Long at, String eventId, String commandId,
			String lastChange) {
	}

	static String encode(Entry entry) {
		return JSON.writeValueAsString(switch (entry) {
			case Entry.Created c -> new Stored(c.seq(), CREATED, null, c.senderId(), c.clientMsgId(), c.body(),
					millis(c.sentAt()), millis(c.editedAt()), millis(c.deletedAt()), c.deletedBy(), null, null,
					c.eventId().toString(), null, text(c.lastChange()));
			case Entry.Edited e -> new Stored(e.seq(), EDITED, e.messageId().seq(), null, null, null, null, null, null,
					null, e.editorId(), millis(e.editedAt()), e.eventId().toString(), e.commandId().toString(), null);
			case Entry.Deleted d -> new Stored(d.seq(), DELETED, d.messageId().seq(), null, null, null, null, null, null,
					null, d.deletedBy(), millis(d.deletedAt()), d.eventId().toString(), d.commandId().toString(), null);
		});
	}

	static Entry decode(String roomId, String json) {
		Stored s = JSON.readValue(json, Stored.class);
		UUID eventId = UUID.fromString(s.eventId());
		return switch (s.kind()) {
			case CREATED -> new Entry.Created(s.seq(), new MessageId(roomId, s.seq()), s.senderId(), s.clientMsgId(),
					s.body(), instant(s.sentAt()), instant(s.editedAt()), instant(s.deletedAt()), s.deletedBy(), eventId,
					s.lastChange() == null ? null : UUID.fromString(s.lastChange()));
			case EDITED -> new Entry.Edited(s.seq(), new MessageId(roomId, s.target()), s.by(), instant(s.at()), eventId,
					UUID.fromString(s.commandId()));
			case DELETED -> new Entry.Deleted(s.seq(), new MessageId(roomId, s.target()), s.by(), instant(s.at()),
					eventId, UUID.fromString(s.commandId()));
			default -> throw new IllegalStateException("unknown entry kind " + s.kind() + " at " + s.seq());
		};
	}

	private static Long millis(Instant instant) {
		return instant == null ? null : instant.toEpochMilli();
	}

	private static Instant instant(Long millis) {
		return millis == null ? null : Instant.ofEpochMilli(millis);
	}

	private static String text(UUID id) {
		return id == null ? null : id.toString();
	}

	private EntryCodec() {
	}

}
