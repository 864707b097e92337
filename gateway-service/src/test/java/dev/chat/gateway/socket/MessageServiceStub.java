package dev.chat.gateway.socket;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.sun.net.httpserver.HttpServer;

/**
 * Plays message-service: rooms with a stored sequence 1..n; {@code forbidden-room} answers
 * 403 and {@code missing-room} 404, like message-service for a non-member and an unknown room.
 */
record MessageServiceStub(HttpServer server, Map<String, Integer> rooms) implements AutoCloseable {

	static MessageServiceStub start() {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
			MessageServiceStub stub = new MessageServiceStub(server, new ConcurrentHashMap<>());
			server.createContext("/api/rooms/", stub::answer);
			server.start();
			return stub;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	void store(String roomId, int lastSeq) {
		rooms.put(roomId, lastSeq);
	}

	private void answer(com.sun.net.httpserver.HttpExchange exchange) throws IOException {
		try (exchange) {
			String[] path = exchange.getRequestURI().getPath().split("/");
			String roomId = path[3];
			String query = String.valueOf(exchange.getRequestURI().getQuery());
			if (roomId.equals("forbidden-room") || roomId.equals("missing-room") || !rooms.containsKey(roomId)) {
				exchange.sendResponseHeaders(roomId.equals("forbidden-room") ? 403 : 404, -1);
				return;
			}
			int lastSeq = rooms.get(roomId);
			String body;
			if (path[4].equals("events")) {
				long afterSeq = Long.parseLong(query.replaceAll(".*afterSeq=(\\d+).*", "$1"));
				List<String> events = new ArrayList<>();
				for (long seq = afterSeq + 1; seq <= lastSeq; seq++) {
					events.add("{\"roomId\":\"%s\",\"id\":\"%s-%d\",\"seq\":%d,\"senderId\":\"carol\",\"body\":\"message %d\",\"sentAt\":\"2026-01-01T00:00:00Z\",\"clientMsgId\":\"c%d\"}"
						.formatted(roomId, roomId, seq, seq, seq, seq));
				}
				body = "{\"events\":[" + String.join(",", events) + "],\"lastSeq\":" + lastSeq + ",\"hasMore\":false}";
			}
			else {
				body = "{\"messages\":[],\"lastSeq\":" + lastSeq + ",\"hasMore\":false}";
			}
			byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().set("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, bytes.length);
			exchange.getResponseBody().write(bytes);
		}
	}

	String uri() {
		return "http://127.0.0.1:" + server.getAddress().getPort();
	}

	@Override
	public void close() {
		server.stop(0);
	}

}
