package dev.chat.stack;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Readiness probes over HTTP on loopback, each bounded by a short timeout. */
final class Http {

	private static final HttpClient CLIENT = client().build();

	/** A client with the probes' connect timeout. */
	static HttpClient.Builder client() {
		return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1));
	}

	/** Whether {@code url} answers 200 within two seconds (and, if given, with {@code expected} in the body). */
	static boolean answers200(String url, String expected) {
		return answers200(CLIENT, url, expected);
	}

	/** The same through {@code client}, such as one that trusts the stack's own authority. */
	static boolean answers200(HttpClient client, String url, String expected) {
		try {
			HttpResponse<String> response = client.send(
					HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).GET().build(),
					HttpResponse.BodyHandlers.ofString());
			return response.statusCode() == 200 && (expected == null || response.body().contains(expected));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
		catch (Exception notYet) {
			return false;
		}
	}

	private Http() {
	}

}
