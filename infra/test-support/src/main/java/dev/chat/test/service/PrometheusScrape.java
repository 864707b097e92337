package dev.chat.test.service;

import java.util.Arrays;

import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One read of a service's {@code /actuator/prometheus} (the text exposition format), taken
 * without a token, as Prometheus takes it. Tests compare two scrapes to see a meter move.
 */
public final class PrometheusScrape {

	/** The Accept header of Prometheus 2.42 (Debian's), the one {@code ./chat up --monitoring} runs. */
	private static final String PROMETHEUS_ACCEPT = "application/openmetrics-text;version=1.0.0,"
			+ "application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

	private final String text;

	private PrometheusScrape(String text) {
		this.text = text;
	}

	/** Scrapes the service now; fails unless it answers 200 without a token. */
	public static PrometheusScrape of(WebTestClient client) {
		String body = client.get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.TEXT_PLAIN)
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(body).as("the scrape").isNotBlank();
		assertNoExemplars(client);
		return new PrometheusScrape(body);
	}

	/**
	 * Prometheus asks for OpenMetrics first; an exemplar on a histogram's or summary's count (what
	 * the Prometheus client adds when tracing is on) makes Prometheus 2.x refuse the whole scrape.
	 */
	private static void assertNoExemplars(WebTestClient client) {
		String openMetrics = client.get()
			.uri("/actuator/prometheus")
			.header("Accept", PROMETHEUS_ACCEPT)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(openMetrics).as("the OpenMetrics scrape").isNotBlank().doesNotContain(" # {");
	}

	/**
	 * The sum of the samples of {@code name} (as exposed: {@code chat_sockets_open},
	 * {@code chat_socket_frames_in_total}) whose labels include every one of {@code labels}
	 * (written as exposed: {@code type="send"}); 0 when there is none.
	 */
	public double value(String name, String... labels) {
		double sum = 0;
		for (String line : text.split("\n")) {
			if (line.startsWith("#") || !sampleOf(line, name)) {
				continue;
			}
			int space = line.lastIndexOf(' ');
			String series = line.substring(0, space);
			if (Arrays.stream(labels).allMatch(series::contains)) {
				sum += Double.parseDouble(line.substring(space + 1));
			}
		}
		return sum;
	}

	/** Whether any sample of this name is exposed. */
	public boolean has(String name) {
		return Arrays.stream(text.split("\n")).anyMatch(line -> !line.startsWith("#") && sampleOf(line, name));
	}

	private static boolean sampleOf(String line, String name) {
		return line.startsWith(name) && line.length() > name.length()
				&& (line.charAt(name.length()) == '{' || line.charAt(name.length()) == ' ');
	}

	@Override
	public String toString() {
		return text;
	}

}
