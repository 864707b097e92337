package dev.chat.load.scenario;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import dev.chat.load.target.Tokens;

/**
 * The gateway's REST API as the scenarios use it (rooms, joins, history), with the users'
 * tokens. Calls block: callers bound their concurrency with their own threads.
 */
final class Gateway {

	private final HttpClient http;

	private final String base;

	private final Tokens tokens;

	Gateway(HttpClient http, int port, Tokens tokens) {
		this.http = http;
		this.base = "http://127.0.0.1:" + port;
		this.tokens = tokens;
	}

	/** Whether the gateway answers its liveness probe. */
	static boolean answers(HttpClient http, int port) {
		try {
			return http
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/liveness"))
					.timeout(Duration.ofSeconds(3))
					.build(), HttpResponse.BodyHandlers.discarding())
				.statusCode() == 200;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	Response get(int user, String path) {
		return send(user, HttpRequest.newBuilder(URI.create(base + path)).GET());
	}

	Response post(int user, String path, String json) {
		return send(user, HttpRequest.newBuilder(URI.create(base + path))
			.header("Content-Type", "application/json")
			.POST(json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)));
	}

	private Response send(int user, HttpRequest.Builder request) {
		HttpRequest built = request.header("Authorization", "Bearer " + tokens.token(user))
			.timeout(Duration.ofSeconds(30))
			.build();
		// A busy machine drops an idle pooled connection now and then: one retry.
		for (int attempt = 0;; attempt++) {
			try {
				HttpResponse<String> response = http.send(built, HttpResponse.BodyHandlers.ofString());
				return new Response(response.statusCode(), response.body());
			}
			catch (IOException ex) {
				if (attempt > 0) {
					return new Response(-1, ex.toString());
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return new Response(-1, "interrupted");
			}
		}
	}

	record Response(int status, String body) {

		Response expect(int... statuses) {
			for (int expected : statuses) {
				if (status == expected) {
					return this;
				}
			}
			throw new IllegalStateException("gateway answered " + status + ": " + body);
		}

	}

}
