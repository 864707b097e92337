package dev.chat.load.peer;

/**
 * Reads Centrifugo's JSON protocol (v2, as Centrifugo v6 speaks it over WebSocket) without a JSON
 * parser. One WebSocket frame holds one or more messages joined by {@code '\n'}:
 * <ul>
 * <li>a reply to a command: {@code {"id":2,"subscribe":{...}}}, or
 * {@code {"id":2,"error":{"code":103,"message":"permission denied"}}};</li>
 * <li>a push: {@code {"push":{"channel":"room","pub":{"data":"body","info":{...},"offset":7}}}} — the
 * encoder writes {@code data} first in a publication, so the body is found right after
 * {@code "pub":{"data":}; or {@code {"push":{"disconnect":{"code":3001,"reason":"shutdown"}}}};</li>
 * <li>a server ping: {@code {}}, to be answered with {@code {}}.</li>
 * </ul>
 * Only publications whose {@code data} is a JSON string are delivered (the load generator always
 * publishes the body as a JSON string).
 */
final class CentrifugoFrames {

	/** What a frame held, in order. Called on the connection's I/O thread. */
	interface Handler {

		/** A reply to command {@code id}; {@code error} is the raw error object, {@code null} on success. */
		void reply(long id, String error);

		/** A publication on a subscribed channel, its {@code data} decoded from a JSON string. */
		void publication(String body);

		/** A server ping ({@code {}}); the client answers {@code {}}. */
		void ping();

		/** The server disconnects this client; {@code disconnect} is the raw disconnect object. */
		void disconnect(String disconnect);

		/** Anything else (join/leave pushes, publications whose data is not a string, garbage). */
		default void other(String message) {
		}

	}

	private static final String REPLY = "{\"id\":";
	private static final String PUSH = "{\"push\":{";
	private static final String PUB_DATA = "\"pub\":{\"data\":";
	private static final String ERROR = ",\"error\":";
	private static final String DISCONNECT = "\"disconnect\":";

	private CentrifugoFrames() {
	}

	static void parse(String frame, Handler handler) {
		int n = frame.length();
		int start = 0;
		while (start < n) {
			int newline = frame.indexOf('\n', start);
			int end = newline < 0 ? n : newline;
			if (end > start) {
				message(frame, start, end, handler);
			}
			start = end + 1;
		}
	}

	private static void message(String frame, int start, int end, Handler handler) {
		if (end - start == 2 && frame.charAt(start) == '{' && frame.charAt(start + 1) == '}') {
			handler.ping();
		}
		else if (frame.startsWith(PUSH, start)) {
			push(frame, start, end, handler);
		}
		else if (frame.startsWith(REPLY, start)) {
			reply(frame, start, end, handler);
		}
		else {
			handler.other(frame.substring(start, end));
		}
	}

	private static void push(String frame, int start, int end, Handler handler) {
		int pub = frame.indexOf(PUB_DATA, start + PUSH.length());
		if (pub >= 0 && pub < end) {
			int open = pub + PUB_DATA.length();
			if (open < end && frame.charAt(open) == '"') {
				String body = JsonStrings.unquote(frame, open);
				if (body != null) {
					handler.publication(body);
					return;
				}
			}
		}
		else if (frame.startsWith(DISCONNECT, start + PUSH.length())) {
			handler.disconnect(frame.substring(start + PUSH.length() + DISCONNECT.length(), end - 2));
			return;
		}
		handler.other(frame.substring(start, end));
	}

	private static void reply(String frame, int start, int end, Handler handler) {
		int i = start + REPLY.length();
		long id = 0;
		int digits = 0;
		while (i < end) {
			char c = frame.charAt(i);
			if (c < '0' || c > '9') {
				break;
			}
			id = id * 10 + (c - '0');
			digits++;
			i++;
		}
		if (digits == 0) {
			handler.other(frame.substring(start, end));
			return;
		}
		if (frame.startsWith(ERROR, i)) {
			handler.reply(id, frame.substring(i + ERROR.length(), end - 1));
		}
		else {
			handler.reply(id, null);
		}
	}

}
