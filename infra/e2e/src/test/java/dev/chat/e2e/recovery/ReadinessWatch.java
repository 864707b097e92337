package dev.chat.e2e.recovery;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import tools.jackson.databind.JsonNode;

/**
 * Asks a service's {@code /actuator/health/readiness} every 50 ms from before the process starts
 * until the first UP, without waiting for earlier answers (a cold server answers its first
 * requests slowly), and remembers what came back on the way: DOWN answers (listening, not ready,
 * and whether because of its Kafka listeners or, on a gateway, its fan-out), then UP.
 */
final class ReadinessWatch implements AutoCloseable {

	private static final HttpClient HTTP = HttpClient.newBuilder()
		.connectTimeout(Duration.ofMillis(500))
		.version(HttpClient.Version.HTTP_1_1)
		.build();

	private final URI uri;

	private final CompletableFuture<Long> up = new CompletableFuture<>();

	private final ScheduledExecutorService schedule = Executors
		.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().factory());

	private final AtomicInteger downAnswers = new AtomicInteger();

	private volatile boolean listenersDown;

	private volatile long firstDownNanos;

	ReadinessWatch(int port) {
		this.uri = URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness");
		schedule.scheduleAtFixedRate(this::ask, 0, 50, TimeUnit.MILLISECONDS);
	}

	private void ask() {
		if (up.isDone()) {
			return;
		}
		long asked = System.nanoTime();
		HTTP.sendAsync(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
				HttpResponse.BodyHandlers.ofString())
			.thenAccept(response -> {
				if (response.statusCode() == 200) {
					up.complete(System.nanoTime());
					return;
				}
				if (up.isDone()) {
					return;
				}
				if (downAnswers.getAndIncrement() == 0) {
					firstDownNanos = asked;
				}
				JsonNode body = RecoveryApi.JSON.readTree(response.body());
				JsonNode components = body.path("components");
				if ("DOWN".equals(components.path("kafkaListeners").path("status").asString())
						|| "DOWN".equals(components.path("fanOut").path("status").asString())) {
					listenersDown = true;
				}
			});
		// No answer (not listening yet, or just killed) is neither DOWN nor UP.
	}

	/** When readiness first answered UP (System.nanoTime), waiting up to the timeout. */
	long awaitUp(Duration timeout) throws Exception {
		return up.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	/** How many DOWN answers came before the first UP. */
	int downAnswers() {
		return downAnswers.get();
	}

	long firstDownNanos() {
		return firstDownNanos;
	}

	/** Whether some answer before UP said the Kafka listeners did not own their partitions yet. */
	boolean listenersDown() {
		return listenersDown;
	}

	@Override
	public void close() {
		schedule.shutdownNow();
	}

}
