package dev.chat.gateway.security;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.chat.stack.LocalCertificateAuthority;
import dev.chat.test.service.ChatServiceTest;
import dev.chat.test.tokens.TokenMinter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A gateway node serving HTTPS and WSS through a Spring Boot SSL bundle with a certificate of the
 * machine's own authority ({@link LocalCertificateAuthority}): a client that trusts only that
 * authority connects, one that does not is refused, responses carry HSTS, and browsers of the
 * allowed origin alone get CORS answers.
 */
@ChatServiceTest
class TlsAndCorsIntegrationTests {

	private static final LocalCertificateAuthority CA = authority();

	private static final String ALLOWED = "https://app.example.com";

	@LocalServerPort
	private int port;

	@Autowired
	private TokenMinter minter;

	@DynamicPropertySource
	static void tls(DynamicPropertyRegistry registry) {
		registry.add("server.ssl.bundle", () -> "chat");
		registry.add("spring.ssl.bundle.jks.chat.keystore.location", () -> "file:" + CA.serverKeyStore());
		registry.add("spring.ssl.bundle.jks.chat.keystore.password", () -> LocalCertificateAuthority.PASSWORD);
		registry.add("spring.ssl.bundle.jks.chat.keystore.type", () -> "PKCS12");
		registry.add("spring.ssl.bundle.jks.chat.key.alias", () -> "server");
		registry.add("chat.gateway.cors.allowed-origins", () -> ALLOWED);
	}

	@Test
	void httpsAnswersAClientThatTrustsOnlyTheLocalAuthorityWithHsts() throws Exception {
		HttpResponse<String> health = trusting().send(
				HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/actuator/health")).build(),
				HttpResponse.BodyHandlers.ofString());

		assertThat(health.statusCode()).isEqualTo(200);
		assertThat(health.headers().firstValue("Strict-Transport-Security")).hasValueSatisfying(
				hsts -> assertThat(hsts).contains("max-age=").contains("includeSubDomains"));
	}

	@Test
	void wssAnswersAClientThatTrustsOnlyTheLocalAuthority() throws Exception {
		CompletableFuture<String> firstFrame = new CompletableFuture<>();
		WebSocket socket = trusting().newWebSocketBuilder()
			.buildAsync(URI.create("wss://localhost:" + port + "/ws?access_token=" + minter.token("alice", "user")),
					new WebSocket.Listener() {
						@Override
						public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
							firstFrame.complete(data.toString());
							return null;
						}
					})
			.get(10, TimeUnit.SECONDS);
		try {
			socket.sendText("{\"type\":\"ping\"}", true).get(5, TimeUnit.SECONDS);
			assertThat(firstFrame.get(10, TimeUnit.SECONDS)).contains("\"type\":\"pong\"");
		}
		finally {
			socket.abort();
		}
	}

	@Test
	void aClientThatDoesNotTrustTheAuthorityIsRefused() {
		HttpClient jdkDefaults = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

		assertThatThrownBy(() -> jdkDefaults.send(
				HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/actuator/health")).build(),
				HttpResponse.BodyHandlers.ofString()))
			.isInstanceOf(SSLHandshakeException.class);
	}

	@Test
	void aPreflightFromTheAllowedOriginIsAnsweredAndFromAnyOtherIsNot() throws Exception {
		HttpResponse<String> allowed = preflight(ALLOWED);
		HttpResponse<String> other = preflight("https://evil.example.com");

		assertThat(allowed.statusCode()).isEqualTo(200);
		assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ALLOWED);
		assertThat(allowed.headers().firstValue("Access-Control-Allow-Headers").orElse("").toLowerCase())
			.contains("authorization");
		assertThat(other.statusCode()).isEqualTo(403);
		assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
	}

	private HttpResponse<String> preflight(String origin) throws Exception {
		return trusting().send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/api/rooms"))
			.method("OPTIONS", HttpRequest.BodyPublishers.noBody())
			.header("Origin", origin)
			.header("Access-Control-Request-Method", "POST")
			.header("Access-Control-Request-Headers", "authorization, content-type")
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static HttpClient trusting() throws Exception {
		KeyStore trust = KeyStore.getInstance("PKCS12");
		try (InputStream in = Files.newInputStream(CA.trustStore())) {
			trust.load(in, LocalCertificateAuthority.PASSWORD.toCharArray());
		}
		TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trustManagers.init(trust);
		SSLContext tls = SSLContext.getInstance("TLS");
		tls.init(null, trustManagers.getTrustManagers(), null);
		return HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
	}

	private static LocalCertificateAuthority authority() {
		try {
			return LocalCertificateAuthority.ensure(Files.createTempDirectory("chat-tls"));
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
