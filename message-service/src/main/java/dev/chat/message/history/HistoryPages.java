package dev.chat.message.history;

import java.util.List;

/** The response bodies of the history and replay endpoints. */
final class HistoryPages {

	/**
	 * A page of messages.
	 *
	 * @param messages newest first when reading backwards, oldest first when reading forwards
	 * @param lastSeq the room's last seq (of any entry: a message, an edit or a delete)
	 * @param hasMore whether more messages lie beyond the page in the direction read
	 */
	record MessagesPage(List<MessageView> messages, long lastSeq, boolean hasMore) {
	}

	/**
	 * A page of the room's sequence.
	 *
	 * @param events every entry after {@code afterSeq}, in seq order, without gaps
	 * @param lastSeq the room's last seq
	 * @param hasMore whether entries after the page's last exist
	 */
	record EventsPage(List<MessageView> events, long lastSeq, boolean hasMore) {
	}

	private HistoryPages() {
	}

}
