package dev.chat.message.store;

import java.util.Optional;

/**
 * A message's id: {@code "{roomId}-{seq}"}, the room and the seq of the message's creation.
 * Finding a message therefore needs no search: its seq names its bucket. Room ids may contain
 * {@code -} themselves, so an id is only ever parsed against the room it is claimed to belong to.
 *
 * @param roomId the room
 * @param seq the seq of the message's {@code created} entry
 */
public record MessageId(String roomId, long seq) {

	public MessageId {
		if (seq < 1) {
			throw new IllegalArgumentException("seq must be positive, was " + seq);
		}
	}

	/**
	 * The id if {@code text} is a well-formed message id of {@code roomId}; empty otherwise (an
	 * id of another room, no seq, a seq with a sign, leading zeros or too many digits).
	 */
	public static Optional<MessageId> parse(String roomId, String text) {
		if (roomId == null || text == null || !text.startsWith(roomId + "-")) {
			return Optional.empty();
		}
		String digits = text.substring(roomId.length() + 1);
		if (digits.isEmpty() || digits.length() > 18 || digits.charAt(0) == '0'
				|| !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
			return Optional.empty();
		}
		return Optional.of(new MessageId(roomId, Long.parseLong(digits)));
	}

	@Override
	public String toString() {
		return roomId + "-" + seq;
	}

}
