package dev.chat.load.peer;

import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.LoopResources;

import dev.chat.load.target.Connection;
import dev.chat.load.target.Deliveries;
import dev.chat.load.target.Target;

/**
 * The Socket.IO 4 peer ({@code infra/load/peers/socketio/server.js}) as a {@link Target}: raw
 * Engine.IO v4 over one WebSocket ({@code /socket.io/?EIO=4&transport=websocket}, no polling), no
 * Socket.IO client library. On the open packet {@code 0{...}} the client connects to the default
 * namespace ({@code 40}); on {@code 40{"sid":...}} it joins the room ({@code 421["join","room"]});
 * {@link #connect} completes on the ack {@code 431[]}. A body is published as
 * {@code 42<id>["publish",{"room":...,"body":...}]}, the server broadcasts
 * {@code 42["message","body"]} to the room (publisher included) and acks {@code 43<id>[]}, which
 * completes {@link Connection#publish}. Engine.IO pings {@code 2} are answered with {@code 3}.
 */
public final class SocketIoTarget implements Target {

	private static final long JOIN_ACK = 1;

	private final HttpClient client;

	private final String uri;

	private final LoopResources loops;

	/** Connections to the Socket.IO peer on 127.0.0.1:{@code port}, over {@code ioThreads} event loops of its own. */
	public SocketIoTarget(int port, int ioThreads) {
		this(PeerClients.loops(ioThreads), "127.0.0.1", port);
	}

	/** Connections over {@code loops}, owned (and disposed on {@link #close()}) by this target. */
	SocketIoTarget(LoopResources loops, String host, int port) {
		this.loops = loops;
		this.client = PeerClients.client(loops);
		this.uri = "ws://" + host + ":" + port + "/socket.io/?EIO=4&transport=websocket";
	}

	@Override
	public String name() {
		return "socketio";
	}

	@Override
	public void close() {
		PeerClients.dispose(loops);
	}

	@Override
	public Mono<Connection> connect(int client, String channel, Deliveries deliveries) {
		return Mono.defer(() -> new SocketIoConnection(channel, deliveries).open(this.client, uri));
	}

	static String joinEvent(String room) {
		return EngineIoPackets.event(JOIN_ACK, "join", JsonStrings.quote(room));
	}

	static String publishEvent(long id, String room, String body) {
		StringBuilder arg = new StringBuilder(room.length() + body.length() + 24).append("{\"room\":");
		JsonStrings.quote(arg, room).append(",\"body\":");
		JsonStrings.quote(arg, body).append('}');
		return EngineIoPackets.event(id, "publish", arg.toString());
	}

	private static final class SocketIoConnection extends PeerConnection implements EngineIoPackets.Handler {

		private final String room;

		SocketIoConnection(String room, Deliveries deliveries) {
			super(deliveries, JOIN_ACK + 1);
			this.room = room;
		}

		@Override
		protected void onOpen() {
			// The server speaks first (the open packet).
		}

		@Override
		protected void onText(String text) {
			EngineIoPackets.parse(text, this);
		}

		@Override
		public void open(String handshake) {
			send("40");
		}

		@Override
		public void ping() {
			send("3");
		}

		@Override
		public void engineClose() {
			close();
		}

		@Override
		public void connected(String handshake) {
			send(joinEvent(room));
		}

		@Override
		public void connectError(String error) {
			refused("namespace connect refused: " + error);
		}

		@Override
		public void disconnected() {
			refused("disconnected by the server");
		}

		@Override
		public void message(String body) {
			deliveries.delivered(this, body, frameNanos);
		}

		@Override
		public void ack(long id, String args) {
			if (id == JOIN_ACK) {
				if ("[]".equals(args)) {
					subscribed();
				}
				else {
					refused("join " + room + " refused: " + args);
				}
			}
			else {
				acked(id, "[]".equals(args) ? null : args);
			}
		}

		@Override
		public Mono<Void> publish(String channel, String body) {
			return request(id -> publishEvent(id, channel, body));
		}

	}

}
