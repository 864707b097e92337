package dev.chat.load.peer;

/**
 * Reads Engine.IO v4 packets carrying Socket.IO v5 packets (Socket.IO 4), one packet per WebSocket
 * text frame, default namespace only, without a JSON parser:
 * <ul>
 * <li>{@code 0{"sid":...,"pingInterval":25000,...}}: Engine.IO open;</li>
 * <li>{@code 2}: Engine.IO ping, answered with {@code 3}; {@code 1}: close;</li>
 * <li>{@code 40{"sid":...}}: connected to the namespace; {@code 44{...}}: refused; {@code 41}: disconnected;</li>
 * <li>{@code 42["message","body"]} (or {@code 42<ack id>[...]}): an event;</li>
 * <li>{@code 43<id>[...]}: the ack of the client's event number {@code id}.</li>
 * </ul>
 */
final class EngineIoPackets {

	/** What a packet was. Called on the connection's I/O thread. */
	interface Handler {

		void open(String handshake);

		void ping();

		void engineClose();

		void connected(String handshake);

		void connectError(String error);

		void disconnected();

		/** A {@code message} event whose first argument is a string: the body. */
		void message(String body);

		/** The ack of event {@code id}; {@code args} is the raw JSON array of its arguments. */
		void ack(long id, String args);

		/** Any other event or packet. */
		default void other(String packet) {
		}

	}

	static final String MESSAGE_EVENT = "42[\"message\",";

	private EngineIoPackets() {
	}

	static void parse(String packet, Handler handler) {
		if (packet.isEmpty()) {
			handler.other(packet);
			return;
		}
		switch (packet.charAt(0)) {
			case '0' -> handler.open(packet.substring(1));
			case '1' -> handler.engineClose();
			case '2' -> handler.ping();
			case '4' -> socketIo(packet, handler);
			default -> handler.other(packet);
		}
	}

	private static void socketIo(String packet, Handler handler) {
		if (packet.length() < 2) {
			handler.other(packet);
			return;
		}
		switch (packet.charAt(1)) {
			case '0' -> handler.connected(packet.substring(2));
			case '1' -> handler.disconnected();
			case '2' -> event(packet, handler);
			case '3' -> ack(packet, handler);
			case '4' -> handler.connectError(packet.substring(2));
			default -> handler.other(packet);
		}
	}

	private static void event(String packet, Handler handler) {
		if (packet.startsWith(MESSAGE_EVENT)) {
			String body = JsonStrings.unquote(packet, MESSAGE_EVENT.length());
			if (body != null) {
				handler.message(body);
				return;
			}
		}
		handler.other(packet);
	}

	private static void ack(String packet, Handler handler) {
		int i = 2;
		long id = 0;
		int n = packet.length();
		while (i < n && packet.charAt(i) >= '0' && packet.charAt(i) <= '9') {
			id = id * 10 + (packet.charAt(i) - '0');
			i++;
		}
		if (i == 2 || i >= n || packet.charAt(i) != '[') {
			handler.other(packet);
			return;
		}
		handler.ack(id, packet.substring(i));
	}

	/** {@code 42<ackId>["event",<jsonArg>]}, the argument already JSON. */
	static String event(long ackId, String event, String jsonArg) {
		StringBuilder out = new StringBuilder(event.length() + jsonArg.length() + 24).append("42").append(ackId)
			.append('[');
		return JsonStrings.quote(out, event).append(',').append(jsonArg).append(']').toString();
	}

}
