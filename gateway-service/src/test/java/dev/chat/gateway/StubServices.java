package dev.chat.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * One HTTP server on loopback standing in for every service behind the gateway: it answers every
 * request 200 with its method and path ({@code {"upstream":"GET /api/rooms"}}) and remembers them,
 * so that a test sees what reached a service and what did not.
 */
public record StubServices(HttpServer server, List<String> requests) implements AutoCloseable {

	public static StubServices start() {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
			StubServices stub = new StubServices(server, new CopyOnWriteArrayList<>());
			server.createContext("/", exchange -> {
				try (exchange) {
					String request = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
					stub.requests.add(request);
					byte[] body = ("{\"upstream\":\"" + request + "\"}").getBytes(StandardCharsets.UTF_8);
					exchange.getResponseHeaders().set("Content-Type", "application/json");
					exchange.sendResponseHeaders(200, body.length);
					exchange.getResponseBody().write(body);
				}
			});
			server.start();
			return stub;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Routes every service of the gateway to this stub. */
	public void register(DynamicPropertyRegistry registry) {
		for (String service : List.of("auth", "rooms", "messages", "presence")) {
			registry.add("chat.gateway.services." + service, this::uri);
		}
	}

	public String uri() {
		return "http://127.0.0.1:" + server.getAddress().getPort();
	}

	@Override
	public void close() {
		server.stop(0);
	}

}
