package dev.chat.gateway.docs;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;

import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.web.reactive.function.client.WebClient;

import dev.chat.gateway.GatewayProperties;

import static org.assertj.core.api.Assertions.assertThat;

/** What the merged document does when a service does not answer. */
class ApiDocsTests {

	@Test
	void aServiceThatDoesNotAnswerFailsTheMergeNamingIt() throws IOException {
		URI closed;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			closed = URI.create("http://127.0.0.1:" + socket.getLocalPort());
		}
		GatewayProperties.Services services = new GatewayProperties.Services(closed, closed, closed, closed);
		GatewayProperties properties = new GatewayProperties("gateway-1", services, null, null, null);

		StepVerifier.create(new ApiDocs(WebClient.builder(), properties).merged())
			.expectErrorSatisfies(error -> assertThat(error).isInstanceOf(ApiDocs.ServiceDocsUnavailable.class)
				.hasMessageEndingWith("-service did not answer with its OpenAPI document"))
			.verify();
	}

}
