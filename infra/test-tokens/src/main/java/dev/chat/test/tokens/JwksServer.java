package dev.chat.test.tokens;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The issuer's HTTP side on a free loopback port, laid out like Keycloak's so that a service
 * configured with only the issuer finds the keys where it would find Keycloak's: the realm's
 * public keys, its discovery document, and, apart from the realm, the attacker's keys that the
 * {@code jku} variant points to. It counts fetches of the attacker's keys so a test can prove
 * a decoder never followed a token's {@code jku}.
 */
final class JwksServer implements AutoCloseable {

	static final String REALM_PATH = "/realms/chat";

	static final String CERTS_PATH = REALM_PATH + "/protocol/openid-connect/certs";

	static final String ATTACKER_CERTS_PATH = "/attacker/certs";

	private final HttpServer server;

	private final AtomicInteger attackerFetches = new AtomicInteger();

	JwksServer(JWKSet realmKeys, JWKSet attackerKeys) {
		try {
			server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot open the token minter's JWKS server", ex);
		}
		String realmJwks = realmKeys.toPublicJWKSet().toString();
		String attackerJwks = attackerKeys.toPublicJWKSet().toString();
		server.createContext(CERTS_PATH, exchange -> respond(exchange, realmJwks));
		server.createContext(REALM_PATH + "/.well-known/openid-configuration",
				exchange -> respond(exchange, JSONObjectUtils.toJSONString(Map.of("issuer", issuer().toString(),
						"jwks_uri", uri(CERTS_PATH).toString()))));
		server.createContext(ATTACKER_CERTS_PATH, exchange -> {
			attackerFetches.incrementAndGet();
			respond(exchange, attackerJwks);
		});
		server.start();
	}

	URI issuer() {
		return uri(REALM_PATH);
	}

	URI uri(String path) {
		InetSocketAddress address = server.getAddress();
		return URI.create("http://" + address.getAddress().getHostAddress() + ":" + address.getPort() + path);
	}

	int attackerFetches() {
		return attackerFetches.get();
	}

	private static void respond(HttpExchange exchange, String json) throws IOException {
		try (exchange) {
			if (!"GET".equals(exchange.getRequestMethod())) {
				exchange.sendResponseHeaders(405, -1);
				return;
			}
			byte[] body = json.getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().set("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, body.length);
			exchange.getResponseBody().write(body);
		}
	}

	@Override
	public void close() {
		server.stop(0);
	}

}
