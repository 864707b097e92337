package dev.chat.test.socket;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A WebSocket client for tests: connects to a gateway's {@code /ws}, sends JSON frames, and
 * collects what the server sends and how it closed. Reading is paced by the test: frames the
 * test has not taken stay queued here, unless {@link #pause()} stops reading from the socket
 * altogether (a client that cannot keep up).
 */
public final class SocketClient implements AutoCloseable {

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();

	private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();

	private final WebSocket socket;

	private volatile boolean paused;

	private SocketClient(URI uri, Map<String, String> headers) {
		WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
		headers.forEach(builder::header);
		this.socket = builder.buildAsync(uri, new Collector()).orTimeout(10, TimeUnit.SECONDS).join();
	}

	/** Connects with the token in the Authorization header (or none when null). */
	public static SocketClient connect(int gatewayPort, String token) {
		return new SocketClient(URI.create("ws://127.0.0.1:" + gatewayPort + "/ws"),
				token == null ? Map.of() : Map.of("Authorization", "Bearer " + token));
	}

	/** Connects with the token as the access_token query parameter, as browsers do. */
	public static SocketClient connectWithQueryToken(int gatewayPort, String token) {
		return new SocketClient(URI.create("ws://127.0.0.1:" + gatewayPort + "/ws?access_token=" + token), Map.of());
	}

	/** Stops reading from the socket: the server's frames pile up in the network buffers. */
	public void pause() {
		paused = true;
	}

	/**
	 * Reads again. (A paused client learns of a close only after resuming: the close frame
	 * waits behind the frames it did not read.)
	 */
	public void resume() {
		paused = false;
		socket.request(1);
	}

	public void send(String text) {
		socket.sendText(text, true).orTimeout(5, TimeUnit.SECONDS).join();
	}

	/** The next frame within the timeout, or an AssertionError. */
	public JsonNode next(Duration timeout) {
		try {
			JsonNode frame = frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
			if (frame == null) {
				throw new AssertionError("no frame within " + timeout);
			}
			return frame;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	/** The next frame of the given type, skipping others. */
	public JsonNode next(String type, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			JsonNode frame = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
			if (type.equals(frame.path("type").asString())) {
				return frame;
			}
		}
	}

	/** The close code the server sent. */
	public CompletableFuture<Integer> closeCode() {
		return closeCode;
	}

	public boolean isOpen() {
		return !closeCode.isDone() && !socket.isInputClosed();
	}

	@Override
	public void close() {
		if (!socket.isOutputClosed()) {
			socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
		}
		socket.abort();
	}

	private final class Collector implements WebSocket.Listener {

		private final StringBuilder partial = new StringBuilder();

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			partial.append(data);
			if (last) {
				frames.add(JSON.readTree(partial.toString()));
				partial.setLength(0);
			}
			if (!paused) {
				webSocket.request(1);
			}
			return null;
		}

		@Override
		public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
			closeCode.complete(statusCode);
			return null;
		}

		@Override
		public void onError(WebSocket webSocket, Throwable error) {
			closeCode.completeExceptionally(error);
		}

	}

}
