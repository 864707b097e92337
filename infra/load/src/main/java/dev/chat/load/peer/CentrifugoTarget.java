package dev.chat.load.peer;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.LoopResources;

import dev.chat.load.target.Connection;
import dev.chat.load.target.Deliveries;
import dev.chat.load.target.Target;

/**
 * Centrifugo v6 as a {@link Target}: its JSON protocol over {@code /connection/websocket}.
 * Each connection authenticates with its own HS256 connection JWT ({@code sub} = {@code load-N},
 * signed with the secret the server was started with, see {@link PeerServer}), then subscribes:
 * {@code {"id":1,"connect":{"token":...}}} and {@code {"id":2,"subscribe":{"channel":...}}} go in
 * one frame, and {@link #connect} completes on the subscribe reply. A body is published by the
 * connection itself (client-side publish, allowed to subscribers of the channel: the path
 * closest to ours, where a member sends and every member receives), as a JSON string in
 * {@code data}; {@link Connection#publish} completes on Centrifugo's publish reply. Server pings
 * {@code {}} are answered with {@code {}}.
 * <p>
 * Channel names must not contain {@code :} (Centrifugo's namespace boundary; the server's config
 * defines no namespace) nor start with {@code $} (private channels).
 */
public final class CentrifugoTarget implements Target {

	private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

	private static final String JWT_HEADER = B64
		.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));

	private final HttpClient client;

	private final String uri;

	private final SecretKeySpec key;

	private final long tokenExpiresAt;

	private final LoopResources loops;

	/** Connections to Centrifugo on 127.0.0.1:{@code port}, over {@code ioThreads} event loops of its own. */
	public CentrifugoTarget(int port, String hmacSecret, int ioThreads) {
		this(PeerClients.loops(ioThreads), "127.0.0.1", port, hmacSecret);
	}

	/** Connections over {@code loops}, owned (and disposed on {@link #close()}) by this target. */
	CentrifugoTarget(LoopResources loops, String host, int port, String hmacSecret) {
		this.loops = loops;
		this.client = PeerClients.client(loops);
		this.uri = "ws://" + host + ":" + port + "/connection/websocket";
		this.key = new SecretKeySpec(hmacSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
		this.tokenExpiresAt = Instant.now().plus(Duration.ofDays(1)).getEpochSecond();
	}

	@Override
	public String name() {
		return "centrifugo";
	}

	@Override
	public void close() {
		PeerClients.dispose(loops);
	}

	@Override
	public Mono<Connection> connect(int client, String channel, Deliveries deliveries) {
		return Mono.defer(() -> new CentrifugoConnection(channel, token("load-" + client), deliveries)
			.open(this.client, uri));
	}

	/** A Centrifugo connection token: HS256, {@code sub} and {@code exp}. */
	String token(String user) {
		String payload = B64.encodeToString(("{\"sub\":" + JsonStrings.quote(user) + ",\"exp\":" + tokenExpiresAt
				+ "}").getBytes(StandardCharsets.UTF_8));
		String signed = JWT_HEADER + "." + payload;
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(key);
			return signed + "." + B64.encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
		}
		catch (GeneralSecurityException e) {
			throw new IllegalStateException("HmacSHA256 is not available", e);
		}
	}

	/** The commands a connection sends first, connect and subscribe joined in one frame. */
	static String connectAndSubscribe(String token, String channel) {
		StringBuilder out = new StringBuilder(token.length() + channel.length() + 96);
		out.append("{\"id\":1,\"connect\":{\"token\":");
		JsonStrings.quote(out, token).append(",\"name\":\"chat-load\"}}\n{\"id\":2,\"subscribe\":{\"channel\":");
		return JsonStrings.quote(out, channel).append("}}").toString();
	}

	static String publishCommand(long id, String channel, String body) {
		StringBuilder out = new StringBuilder(body.length() + channel.length() + 64);
		out.append("{\"id\":").append(id).append(",\"publish\":{\"channel\":");
		JsonStrings.quote(out, channel).append(",\"data\":");
		return JsonStrings.quote(out, body).append("}}").toString();
	}

	private static final class CentrifugoConnection extends PeerConnection implements CentrifugoFrames.Handler {

		private final String channel;

		private String token;

		CentrifugoConnection(String channel, String token, Deliveries deliveries) {
			super(deliveries, 3);
			this.channel = channel;
			this.token = token;
		}

		@Override
		protected void onOpen() {
			send(connectAndSubscribe(token, channel));
			token = null;
		}

		@Override
		protected void onText(String text) {
			CentrifugoFrames.parse(text, this);
		}

		@Override
		public void reply(long id, String error) {
			if (id == 1) {
				if (error != null) {
					refused("connect refused: " + error);
				}
			}
			else if (id == 2) {
				if (error == null) {
					subscribed();
				}
				else {
					refused("subscribe to " + channel + " refused: " + error);
				}
			}
			else {
				acked(id, error);
			}
		}

		@Override
		public void publication(String body) {
			deliveries.delivered(this, body, frameNanos);
		}

		@Override
		public void ping() {
			send("{}");
		}

		@Override
		public void disconnect(String disconnect) {
			refused("disconnected by the server: " + disconnect);
		}

		@Override
		public Mono<Void> publish(String channel, String body) {
			return request(id -> publishCommand(id, channel, body));
		}

	}

}
