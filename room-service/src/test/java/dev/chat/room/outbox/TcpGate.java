package dev.chat.room.outbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback port that refuses connections until {@link #open}, and then forwards them to a
 * target: how a test makes Kafka "unreachable" for one client and reachable again, without
 * stopping the broker other tests share. A Kafka client that knows the broker only by this port
 * cannot fetch metadata while the gate is closed; once it is open, the client learns the broker's
 * own address and talks to it directly.
 */
final class TcpGate implements AutoCloseable {

	private final int port;

	private final InetSocketAddress target;

	private final List<Socket> sockets = new CopyOnWriteArrayList<>();

	private volatile ServerSocket server;

	TcpGate(InetSocketAddress target) {
		this.target = target;
		try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			this.port = probe.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	int port() {
		return port;
	}

	void open() throws IOException {
		ServerSocket listening = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
		server = listening;
		Thread.ofVirtual().name("tcp-gate-accept").start(() -> {
			while (!listening.isClosed()) {
				try {
					Socket client = listening.accept();
					Socket upstream = new Socket(target.getAddress(), target.getPort());
					sockets.add(client);
					sockets.add(upstream);
					pump(client, upstream);
					pump(upstream, client);
				}
				catch (IOException closed) {
					return;
				}
			}
		});
	}

	private void pump(Socket from, Socket to) {
		Thread.ofVirtual().name("tcp-gate-pump").start(() -> {
			try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
				in.transferTo(out);
			}
			catch (IOException closed) {
				// one side went away: the other is closed below
			}
			closeQuietly(from);
			closeQuietly(to);
		});
	}

	@Override
	public void close() {
		if (server != null) {
			closeQuietly(server);
		}
		sockets.forEach(TcpGate::closeQuietly);
	}

	private static void closeQuietly(AutoCloseable closeable) {
		try {
			closeable.close();
		}
		catch (Exception ignored) {
			// closing anyway
		}
	}

}
