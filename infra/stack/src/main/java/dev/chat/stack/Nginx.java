package dev.chat.stack;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;

/**
 * nginx (Debian's package, installed by {@code infra/bin/packages.sh}) as the stack's one public
 * address: every gateway node behind it, WebSocket upgrades passed through, no sticky sessions
 * (any node serves any client: a client that reconnects elsewhere resubscribes with
 * {@code sinceSeq}). A node that refuses connections, or answers 502/503/504, is skipped for
 * {@value #FAIL_TIMEOUT_SECONDS} s and the request goes to the next one; only idempotent requests
 * are retried (nginx's default), so a POST is never sent twice.
 *
 * <p>
 * With TLS ({@code ./chat up --tls}) the public port serves HTTPS and WSS with the certificate of
 * the stack's own {@link LocalCertificateAuthority} (TLS 1.2 and 1.3, HSTS) and passes requests on
 * to the nodes over loopback as plain HTTP with {@code X-Forwarded-Proto: https}.
 *
 * <p>
 * With more than one message-service instance it also balances the gateways' REST calls to them
 * on a loopback-only port ({@link StackConfig.Ports#messageBalancer}), with the same failover.
 */
final class Nginx extends Component {

	static final int FAIL_TIMEOUT_SECONDS = 5;

	private static final List<Path> BINARIES = List.of(Path.of("/usr/sbin/nginx"), Path.of("/usr/bin/nginx"));

	private volatile HttpClient probe;

	Nginx(StackConfig config) {
		super(config, "nginx");
	}

	@Override
	public List<Integer> ports() {
		List<Integer> ports = new ArrayList<>(List.of(config.ports().entry()));
		if (config.topology().replicas() > 1) {
			ports.add(config.ports().messageBalancer());
			ports.add(config.ports().presenceBalancer());
		}
		return ports;
	}

	@Override
	public String endpoint() {
		return String.format("%-18s %s (the public entry: %d gateway nodes behind it)", name(), config.entryUrl(),
				config.topology().gateways());
	}

	private Path dir() {
		return config.dataDir().resolve("nginx");
	}

	static Path binary() throws IOException {
		return BINARIES.stream()
			.filter(Files::isExecutable)
			.findFirst()
			.orElseThrow(() -> new IOException("nginx is not installed; run infra/bin/packages.sh (Debian's nginx package)"));
	}

	@Override
	protected void prepare() throws IOException, InterruptedException {
		binary();
		if (config.tls()) {
			LocalCertificateAuthority.ensure(config.tlsDir());
		}
		Files.createDirectories(dir().resolve("temp"));
		Files.writeString(dir().resolve("nginx.conf"), configuration());
	}

	/**
	 * A loopback-only port in front of every instance of a service, for the gateways: a request to
	 * an instance that is down or refuses goes to the next.
	 */
	private String balancer(String name, IntUnaryOperator instancePort, int port) {
		StringBuilder servers = new StringBuilder();
		for (int n = 1; n <= config.topology().replicas(); n++) {
			servers.append(server(instancePort.applyAsInt(n)));
		}
		return """

				  upstream %s {
				%s    keepalive 32;
				  }

				  server {
				    listen 127.0.0.1:%d;
				    location / {
				      proxy_pass http://%s;
				      proxy_http_version 1.1;
				      proxy_set_header Connection "";
				      proxy_set_header Host $http_host;
				      proxy_next_upstream error timeout http_502 http_503 http_504;
				      proxy_connect_timeout 1s;
				    }
				  }
				""".formatted(name, servers, port, name);
	}

	/** The configuration, written anew at every start from the topology. */
	String configuration() {
		StackConfig.Ports ports = config.ports();
		StringBuilder gateways = new StringBuilder();
		for (int n = 1; n <= config.topology().gateways(); n++) {
			gateways.append(server(ports.gatewayNode(n)));
		}
		String balancers = config.topology().replicas() < 2 ? ""
				: balancer("message_service", ports::messageInstance, ports.messageBalancer())
						+ balancer("presence_service", ports::presenceInstance, ports.presenceBalancer());
		Path temp = dir().resolve("temp");
		// Run as root (CI's containers), nginx would hand its workers to "nobody", who cannot
		// write the temporary files under .local/.
		String user = "root".equals(System.getProperty("user.name")) ? "user root;\n" : "";
		return """
				%sworker_processes 1;
				worker_rlimit_nofile 65536;
				error_log %s warn;
				pid %s;
				daemon off;

				events {
				  worker_connections 32768;
				}

				http {
				  access_log off;
				  client_body_temp_path %s/body;
				  proxy_temp_path %s/proxy;
				  fastcgi_temp_path %s/fastcgi;
				  uwsgi_temp_path %s/uwsgi;
				  scgi_temp_path %s/scgi;

				  map $http_upgrade $connection_upgrade {
				    default upgrade;
				    '' '';
				  }

				  upstream gateways {
				%s    keepalive 64;
				  }

				  server {
				    listen 127.0.0.1:%d%s;
				%s
				    location = /nginx/health {
				      return 200 "ok\\n";
				    }

				    # Operators reach a node's actuator on its own port, never through the public entry.
				    location /actuator {
				      return 404;
				    }

				    location / {
				      proxy_pass http://gateways;
				      proxy_http_version 1.1;
				      proxy_set_header Upgrade $http_upgrade;
				      proxy_set_header Connection $connection_upgrade;
				      proxy_set_header Host $http_host;
				      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
				      proxy_set_header X-Forwarded-Proto $scheme;
				      proxy_next_upstream error timeout http_502 http_503 http_504;
				      proxy_connect_timeout 1s;
				      # A socket stays open for hours; the gateway pings every idle one.
				      proxy_read_timeout 1h;
				      proxy_send_timeout 1h;
				      proxy_buffering off;
				    }
				  }
				%s}
				""".formatted(user, config.logDir().resolve("nginx-error.log"), dir().resolve("nginx.pid"), temp, temp, temp,
				temp, temp, gateways, ports.entry(), config.tls() ? " ssl" : "", tls(), balancers);
	}

	/** The TLS settings of the public server, or nothing. */
	private String tls() {
		if (!config.tls()) {
			return "";
		}
		LocalCertificateAuthority authority = new LocalCertificateAuthority(config.tlsDir());
		return """
				    ssl_certificate %s;
				    ssl_certificate_key %s;
				    ssl_protocols TLSv1.2 TLSv1.3;
				    ssl_session_cache shared:chat_tls:10m;
				    add_header Strict-Transport-Security "max-age=31536000" always;
				""".formatted(authority.serverCertificatePem(), authority.serverKeyPem());
	}

	private static String server(int port) {
		return "    server 127.0.0.1:%d max_fails=1 fail_timeout=%ds;\n".formatted(port, FAIL_TIMEOUT_SECONDS);
	}

	@Override
	protected List<String> command() throws IOException {
		return List.of(binary().toString(), "-p", dir().toString(), "-e", config.logDir().resolve("nginx-error.log").toString(),
				"-c", dir().resolve("nginx.conf").toString());
	}

	@Override
	public boolean isReady() {
		if (!config.tls()) {
			return Http.answers200("http://127.0.0.1:" + config.ports().entry() + "/nginx/health", "ok");
		}
		try {
			if (probe == null) {
				probe = Http.client()
					.sslContext(new LocalCertificateAuthority(config.tlsDir()).clientContext())
					.build();
			}
			return Http.answers200(probe, "https://localhost:" + config.ports().entry() + "/nginx/health", "ok");
		}
		catch (IOException | GeneralSecurityException notYet) {
			return false;
		}
	}

}
