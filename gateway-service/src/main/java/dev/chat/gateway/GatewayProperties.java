package dev.chat.gateway;

import java.net.URI;
import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * This gateway node ({@code chat.gateway.*}).
 *
 * @param nodeId the node's name, unique among gateway nodes; presence is tracked per node
 * @param services where the REST requests under {@code /api/**} are routed
 * @param socket limits of each WebSocket connection
 * @param presenceHeartbeat how often the node tells presence-service it is alive (well under
 * presence-service's 15 s timeout)
 * @param presenceNodeTimeout presence-service's {@code chat.presence.nodes.timeout}: after a gap
 * between acknowledged heartbeats longer than this less one heartbeat, the node may have been
 * declared dead, and announces its sockets again
 */
@Validated
@ConfigurationProperties("chat.gateway")
public record GatewayProperties(@DefaultValue("gateway-1") @NotBlank String nodeId,
		@DefaultValue @Valid Services services, @DefaultValue @Valid Socket socket,
		@DefaultValue("5s") @NotNull Duration presenceHeartbeat,
		@DefaultValue("15s") @NotNull Duration presenceNodeTimeout) {

	/**
	 * Limits of each WebSocket connection.
	 *
	 * @param tokenGrace how long a socket stays open after {@code token_expired}, for the
	 * client to send {@code auth} with a fresh token
	 * @param outboundQueue frames queued for a client before it counts as too slow (closed
	 * with 1013)
	 * @param maxProtocolErrors protocol errors in a row before the socket is closed with 1008
	 * @param sendsPerSecond sustained sends per connection
	 * @param sendBurst sends a connection may make at once before the sustained rate applies
	 * @param typingInterval at most one typing indicator per user, room and interval
	 * @param pingInterval how often the server pings; a peer silent for two intervals is dropped
	 * @param outboundBuffer bytes written to a socket but not yet taken by the client before it
	 * counts as too slow (closed with 1013)
	 * @param recentEvents events of each followed room kept in memory, so that a client that
	 * reconnects at most this many events behind recovers without a request to message-service
	 * (they share the fan-out's encoded frames; a quiet room holds few; 0 turns it off). 1,024 is
	 * 20 s of a room at 50 messages a second: a storm of 5,000 clients reconnecting at 1,000 a
	 * second after a 2 s drop is 7 s behind at the end; at 256 the last of them fell back to
	 * message-service, which could not answer them all in time
	 * @param roomLinger how long a room nobody on this node is subscribed to any more stays known
	 * (head and recent events), for the clients of a dropped connection to come back
	 * @param shutdownDrain on a clean stop, how long the node waits for the frames its sockets
	 * have received to be answered (a send's ack waits for Kafka) before it closes them with 1012
	 * all the same; the default is as long as a send waits for Kafka before it is answered
	 * {@code unavailable}, and a send still unanswered then is retried by its client with the
	 * same {@code clientMsgId}
	 */
	public record Socket(@DefaultValue("5s") @NotNull Duration tokenGrace,
			@DefaultValue("1024") @Min(16) int outboundQueue, @DefaultValue("10") @Min(1) int maxProtocolErrors,
			@DefaultValue("20") @Min(1) int sendsPerSecond, @DefaultValue("50") @Min(1) int sendBurst,
			@DefaultValue("2s") @NotNull Duration typingInterval, @DefaultValue("20s") @NotNull Duration pingInterval,
			@DefaultValue("1MB") @NotNull DataSize outboundBuffer, @DefaultValue("1024") @Min(0) int recentEvents,
			@DefaultValue("2m") @NotNull Duration roomLinger, @DefaultValue("5s") @NotNull Duration shutdownDrain) {
	}

	/**
	 * The base URIs of the services behind the gateway.
	 */
	public record Services(@DefaultValue("http://127.0.0.1:8081") @NotNull URI auth,
			@DefaultValue("http://127.0.0.1:8082") @NotNull URI rooms,
			@DefaultValue("http://127.0.0.1:8083") @NotNull URI messages,
			@DefaultValue("http://127.0.0.1:8084") @NotNull URI presence) {
	}

}
