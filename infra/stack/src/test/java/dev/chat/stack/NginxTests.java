package dev.chat.stack;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLHandshakeException;

import com.sun.net.httpserver.HttpServer;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The nginx configuration the launcher writes: every gateway node of the topology behind the
 * public port, WebSocket upgrades passed, failover to the next node, the message-service balancer
 * only with several instances; and the real nginx accepts it ({@code nginx -t}; CI installs it).
 * With TLS, the real nginx serves HTTPS with the stack's own certificate in front of a node.
 */
class NginxTests {

	@TempDir
	Path state;

	private StackConfig config(StackConfig.Topology topology) {
		StackConfig tests = StackConfig.forTests(StackConfig.findRoot());
		return new StackConfig(tests.root(), state, tests.cacheDir(), tests.ports(), 6, Duration.ofSeconds(30), topology);
	}

	@Test
	void everyGatewayNodeIsBehindThePublicPort() {
		StackConfig config = config(new StackConfig.Topology(3, 1, 1));
		String conf = new Nginx(config).configuration();
		StackConfig.Ports ports = config.ports();
		assertThat(conf).contains("listen 127.0.0.1:" + ports.entry() + ";")
			.contains("server 127.0.0.1:" + ports.gatewayNode(1) + " ")
			.contains("server 127.0.0.1:" + ports.gatewayNode(2) + " ")
			.contains("server 127.0.0.1:" + ports.gatewayNode(3) + " ")
			.doesNotContain("server 127.0.0.1:" + ports.gatewayNode(4) + " ")
			.contains("proxy_set_header Upgrade $http_upgrade;")
			.contains("proxy_next_upstream error timeout http_502 http_503 http_504;")
			.doesNotContain("message_service");
		assertThat(ports.gatewayNode(3)).isEqualTo(ports.gateway2() + 10);
	}

	@Test
	void severalMessageServiceInstancesAreBalancedOnALoopbackPort() {
		StackConfig config = config(new StackConfig.Topology(2, 3, 2));
		String conf = new Nginx(config).configuration();
		assertThat(conf).contains("listen 127.0.0.1:" + config.ports().messageBalancer() + ";")
			.contains("server 127.0.0.1:" + config.ports().messageInstance(1) + " ")
			.contains("server 127.0.0.1:" + config.ports().messageInstance(2) + " ");
		assertThat(new Nginx(config).ports()).contains(config.ports().entry(), config.ports().messageBalancer());
		assertThat(config.kafkaBootstrap()).isEqualTo("127.0.0.1:%d,127.0.0.1:%d,127.0.0.1:%d".formatted(
				config.ports().kafkaBroker(1), config.ports().kafkaBroker(2), config.ports().kafkaBroker(3)));
	}

	@Test
	void withTlsThePublicPortServesTheLocalCertificateWithHsts() {
		StackConfig config = config(new StackConfig.Topology(2, 1, 1)).withTls(true);
		LocalCertificateAuthority authority = new LocalCertificateAuthority(config.tlsDir());
		assertThat(new Nginx(config).configuration())
			.contains("listen 127.0.0.1:" + config.ports().entry() + " ssl;")
			.contains("ssl_certificate " + authority.serverCertificatePem() + ";")
			.contains("ssl_certificate_key " + authority.serverKeyPem() + ";")
			.contains("ssl_protocols TLSv1.2 TLSv1.3;")
			.contains("add_header Strict-Transport-Security");
		assertThat(config.entryUrl()).isEqualTo("https://localhost:" + config.ports().entry());
		assertThat(new Nginx(config.withTls(false)).configuration()).doesNotContain("ssl");
	}

	/**
	 * {@code ./chat up --tls} for real: nginx on the certificate it has the authority make, in
	 * front of a stand-in node; a client that trusts only that authority gets through, a client
	 * with the JDK's public roots is refused the handshake. Ports of their own (+20,000), so that a
	 * running test stack is not disturbed.
	 */
	@Test
	void withTlsARealNginxServesHttpsToAClientTrustingTheLocalAuthority() throws Exception {
		StackConfig tests = StackConfig.forTests(StackConfig.findRoot());
		StackConfig config = new StackConfig(tests.root(), state, tests.cacheDir(), StackConfig.Ports.DEFAULT.shiftedBy(20000),
				6, Duration.ofSeconds(30), new StackConfig.Topology(1, 1, 1), true);
		HttpServer node = HttpServer.create(new InetSocketAddress("127.0.0.1", config.ports().gatewayNode(1)), 0);
		node.createContext("/api/hello", exchange -> {
			byte[] body = ("proto=" + exchange.getRequestHeaders().getFirst("X-Forwarded-Proto"))
				.getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(200, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		node.start();
		Nginx nginx = new Nginx(config);
		try {
			Files.createDirectories(config.logDir());
			nginx.start();
			Awaitility.await().atMost(Duration.ofSeconds(20)).until(nginx::isReady);
			HttpClient trusting = HttpClient.newBuilder()
				.sslContext(new LocalCertificateAuthority(config.tlsDir()).clientContext())
				.build();
			HttpResponse<String> response = trusting.send(
					HttpRequest.newBuilder(URI.create(config.entryUrl() + "/api/hello")).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.body()).isEqualTo("proto=https");
			assertThat(response.headers().firstValue("Strict-Transport-Security")).hasValue("max-age=31536000");
			assertThatThrownBy(() -> HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create(config.entryUrl() + "/api/hello")).build(),
						HttpResponse.BodyHandlers.ofString()))
				.isInstanceOf(SSLHandshakeException.class);
		}
		finally {
			nginx.stop();
			node.stop(0);
		}
	}

	@Test
	void nginxAcceptsTheConfiguration() throws Exception {
		StackConfig config = config(new StackConfig.Topology(2, 1, 2));
		Nginx nginx = new Nginx(config);
		Files.createDirectories(config.logDir());
		nginx.prepare();
		Path conf = config.dataDir().resolve("nginx/nginx.conf");
		Process test = new ProcessBuilder(Nginx.binary().toString(), "-t", "-p", conf.getParent().toString(), "-e",
				config.logDir().resolve("nginx-error.log").toString(), "-c", conf.toString())
			.redirectErrorStream(true)
			.start();
		assertThat(test.waitFor(20, TimeUnit.SECONDS)).isTrue();
		String output = new String(test.getInputStream().readAllBytes());
		assertThat(test.exitValue()).as(output).isZero();
		assertThat(output).contains("test is successful");
	}

}
