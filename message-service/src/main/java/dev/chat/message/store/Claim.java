package dev.chat.message.store;

/**
 * An idempotency key of a send with the seq it was given: {@code _id =
 * "{roomId}:{senderId}:{clientMsgId}"}. Written before the message's entry, it is a claim, not a
 * proof: it counts only when the entry at {@code seq} is that message (see
 * {@link MessageStore}).
 *
 * @param id the key
 * @param seq the seq given to the send
 */
public record Claim(String id, long seq) {

	public static String keyOf(String roomId, String senderId, String clientMsgId) {
		return MessageStore.sendKey(roomId, senderId, clientMsgId);
	}

}
