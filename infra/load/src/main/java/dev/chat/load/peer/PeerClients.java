package dev.chat.load.peer;

import java.time.Duration;

import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelOption;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.LoopResources;

/**
 * The WebSocket client a peer target opens its connections with, set up as the gateway's
 * target sets up its own so the comparison differs only in the server: unpooled (each WebSocket
 * its own TCP connection, no pool limit at 20,000), a few daemon event-loop threads on epoll
 * where Netty's native transport loads, a small first read buffer so idle sockets stay cheap.
 */
final class PeerClients {

	private PeerClients() {
	}

	static LoopResources loops(int ioThreads) {
		return LoopResources.create("peer-io", 1, Math.max(1, ioThreads), true);
	}

	static HttpClient client(LoopResources loops) {
		return HttpClient.newConnection()
			.runOn(loops)
			.option(ChannelOption.TCP_NODELAY, true)
			.option(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(64, 512, 65536))
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
	}

	static void dispose(LoopResources loops) {
		if (loops != null) {
			loops.disposeLater(Duration.ZERO, Duration.ofSeconds(2)).block(Duration.ofSeconds(5));
		}
	}

}
