package dev.chat.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The nginx configuration the launcher writes: every gateway node of the topology behind the
 * public port, WebSocket upgrades passed, failover to the next node, the message-service balancer
 * only with several instances; and the real nginx accepts it ({@code nginx -t}; CI installs it).
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
